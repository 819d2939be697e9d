// Award orders arriving together share transactions (commands/payments/awardOrderWrites.ts): against the real
// database, the same calls (fresh orders, a replayed key, a key reused for another amount, a second order for
// the same award, a bad amount, an award that cannot be paid for, no such campaign), in two waves, answer the
// same sent at once as one at a time; each order made is audited once created and once pending, in fewer
// transactions than calls, and the audit chain holds.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { checkAuditChain } from '../../src/commands/checkAuditChain.js';
import {
  type AwardOrderInput,
  createAwardOrder,
  type OrderAnswer,
} from '../../src/commands/payments/createAwardOrder.js';
import { DomainError } from '../../src/domain/errors.js';
import { type PaymentWorld, paymentWorld } from '../helpers/payments.js';

let w: PaymentWorld;
test.before(async () => {
  w = await paymentWorld({ applicants: 40 });
});
test.after.always(async () => {
  await w?.close();
});

type Call = Omit<AwardOrderInput, 'campaign_id'> & { campaign_id?: string };

/** Two waves: the second replays, reuses and orders again what the first made. */
function waves(unit: number): Call[][] {
  const win = w.winners;
  const fresh = (i: number, key = `fresh-${i}`) => ({ public_id: win[i]!.public_id, idempotency_key: key });
  const first: Call[] = [
    ...win.map((_, i) => (i === 3 ? { ...fresh(3), face_value: unit + 1 } : fresh(i))),
    // a second order for the same award, and the same key for another amount, in the same batch
    fresh(1, 'second-1'),
    { ...fresh(2), face_value: win[2]!.amount + unit },
    { public_id: w.waitlisted[0]!.public_id, idempotency_key: 'waiting-0' },
    { ...fresh(0), campaign_id: randomUUID() },
  ];
  const second: Call[] = [
    fresh(0),
    { ...fresh(4), face_value: win[4]!.amount + unit },
    fresh(5, 'again-5'),
    fresh(3, 'fixed-3'),
    { public_id: w.waitlisted[0]!.public_id, idempotency_key: 'waiting-1' },
  ];
  return [first, second];
}

/** An answer with each order's id written as its award's public id: the same in any run. */
async function answerOf(run: Promise<OrderAnswer>) {
  let a: unknown;
  try {
    a = await run;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    a = {
      code: err.code,
      message: err.message,
      details: err.details,
      fields: err.fields,
      problems: err.problems,
    };
  }
  return a;
}

async function runWaves(calls: Call[][], together: boolean) {
  const answers: unknown[] = [];
  const one = (c: Call) =>
    answerOf(
      createAwardOrder(
        w.ctx,
        { campaign_id: w.campaignId, ...c },
        (id) => `${w.app.url}/payments/return/${id}`,
      ),
    );
  for (const wave of calls) {
    if (together) answers.push(...(await Promise.all(wave.map(one))));
    else for (const c of wave) answers.push(await one(c));
  }
  const orders = await w.app.db('orders').where({ campaign_id: w.campaignId }).select('id', 'subject');
  let text = JSON.stringify(answers);
  for (const o of orders) text = text.replaceAll(o.id, `<${o.subject}>`);
  return { answers: JSON.parse(text) as unknown[], orders };
}

test('award orders sent at once answer as one at a time, each audited once, in shared transactions', async (t) => {
  const db = w.app.db;
  const c = await db('campaigns').where({ id: w.campaignId }).first();
  const calls = waves(Number(c.voucher_unit ?? c.denomination));
  t.true(w.winners.length >= 8, `${w.winners.length} winners`);
  const seqBefore = Number((await db('audit_log').max('seq as m'))[0]!.m ?? 0);

  const together = await runWaves(calls, true);
  const entries = await db('audit_log')
    .where('seq', '>', seqBefore)
    .orderBy('seq')
    .select('*', db.raw('xmin::text AS tx'));
  // one order an award: every winner's, the one with a bad amount made in the second wave
  t.is(together.orders.length, w.winners.length);
  for (const o of together.orders) {
    const mine = entries.filter((e) => e.data.order_id === o.id).map((e) => e.action);
    t.deepEqual(mine, ['order.created', 'order.pending'], o.subject);
    t.is((await db('orders').where({ id: o.id }).first()).state, 'pending');
  }
  t.is(entries.length, 2 * together.orders.length, 'nothing else was audited');
  const callCount = calls.flat().length;
  t.true(new Set(entries.map((e) => e.tx)).size <= 6, `${callCount} calls shared transactions`);
  const chain = await checkAuditChain({ db });
  t.true(chain.ok, JSON.stringify(chain));

  // The same calls one at a time, on the same awards once their orders are gone.
  await db('orders').where({ campaign_id: w.campaignId }).delete();
  const alone = await runWaves(calls, false);
  // The second order for an award ordered in the same batch finds the first still created, as it does alone
  // while the first is not yet moved to pending; one at a time, it finds it pending.
  const sameBatch = w.winners.length;
  const stateOf = (a: unknown) => (a as { details: { state?: string } }).details.state;
  t.is(stateOf(together.answers[sameBatch]), 'created');
  t.is(stateOf(alone.answers[sameBatch]), 'pending');
  delete (together.answers[sameBatch] as { details: { state?: string } }).details.state;
  delete (alone.answers[sameBatch] as { details: { state?: string } }).details.state;
  t.deepEqual(together.answers, alone.answers);
  const codes = (together.answers as Array<{ code?: string; replayed?: boolean }>).map(
    (a) => a.code ?? (a.replayed ? 'replayed' : 'made'),
  );
  t.deepEqual(codes, [
    ...w.winners.map((_, i) => (i === 3 ? 'validation_failed' : 'made')),
    'order_already_open',
    'idempotency_key_reused',
    'award_not_payable',
    'not_found',
    'replayed',
    'idempotency_key_reused',
    'order_already_open',
    'made',
    'award_not_payable',
  ]);
  t.true((await checkAuditChain({ db })).ok);
});
