// Settlements arriving together share a transaction (commands/payments/settleOrder.ts): against the real database,
// award and instant orders paid, declined, cancelled, paid for a lapsed award or with the wrong amount, each
// settled twice at once (the return and the webhook) beside webhook receipts, end settled exactly once each, with
// their audit entries once, in fewer transactions than settlements, and the audit chain still holds.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { checkAuditChain } from '../../src/commands/checkAuditChain.js';
import { createAwardOrder } from '../../src/commands/payments/createAwardOrder.js';
import { recordReceipt, settleOrder } from '../../src/commands/payments/settleOrder.js';
import { countByStatus } from '../../src/db/repos/awards.js';
import { insertOrder, type OrderRow } from '../../src/db/repos/orders.js';
import type { ProviderView } from '../../src/domain/payments/order.js';
import { type PaymentWorld, paymentWorld } from '../helpers/payments.js';

let w: PaymentWorld;
test.before(async () => {
  w = await paymentWorld({ applicants: 40 });
});
test.after.always(async () => {
  await w?.close();
});

type Outcome = 'paid' | 'failed' | 'cancelled' | 'lapsed' | 'wrong_amount';

/** The order's state afterwards, and the audit actions it leaves, in order. */
const expected: Record<Outcome, { state: string; actions: string[]; job?: string }> = {
  paid: { state: 'paid', actions: ['order.paid'], job: 'issue_vouchers' },
  failed: { state: 'failed', actions: ['order.failed'] },
  cancelled: { state: 'cancelled', actions: ['order.cancelled'] },
  lapsed: { state: 'paid', actions: ['order.paid', 'order.refund_requested'], job: 'refund_order' },
  wrong_amount: { state: 'failed', actions: ['order.failed', 'order.refund_requested'], job: 'refund_order' },
};

function viewOf(o: OrderRow, outcome: Outcome): ProviderView {
  const base = { paymentId: o.payment_id, currency: o.currency, transactionId: `tx-${o.id}` };
  if (outcome === 'failed')
    return { ...base, status: 'failed', amount: o.amount, failure: { code: 'declined', message: 'no' } };
  if (outcome === 'cancelled') return { ...base, status: 'cancelled', amount: o.amount };
  return { ...base, status: 'paid', amount: outcome === 'wrong_amount' ? o.amount - 1 : o.amount };
}

async function instantOrders(n: number): Promise<OrderRow[]> {
  const now = w.app.clock.now();
  return w.app.db.transaction(async (trx) => {
    const rows: OrderRow[] = [];
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      const row = await insertOrder(trx, {
        id,
        purpose: 'instant_order',
        campaign_id: w.campaignId,
        subject: `buyer-${i}`,
        idempotency_key: `k-${i}`,
        request_hash: 'h',
        face_value: 50_000,
        amount: 45_000,
        provider: w.payments.provider.name,
        payment_id: `instant-${id}`,
        expires_at: new Date(now.getTime() + 600_000),
        created_at: now,
      });
      rows.push(row!);
    }
    return rows;
  });
}

test('concurrent settlements of mixed orders: each settled once, audited once, in shared transactions', async (t) => {
  const db = w.app.db;
  const awardOrders: OrderRow[] = [];
  for (const p of w.winners) {
    const answer = await createAwardOrder(
      w.ctx,
      { campaign_id: w.campaignId, public_id: p.public_id, idempotency_key: `batch-${p.public_id}` },
      (id) => `${w.app.url}/payments/return/${id}`,
    );
    awardOrders.push((await db('orders').where({ id: answer.order.id }).first()) as OrderRow);
  }
  const awardOutcomes: Outcome[] = ['paid', 'failed', 'lapsed', 'wrong_amount'];
  const plan = [
    ...awardOrders.map((o, i) => ({ o, outcome: awardOutcomes[i % 4]! })),
    ...(await instantOrders(60)).map((o, i) => ({
      o,
      outcome: (i % 3 === 0 ? 'cancelled' : 'paid') as Outcome,
    })),
  ];
  t.true(awardOrders.length >= 8, `${awardOrders.length} award orders`);
  // The lapsed ones' awards are past their deadline when the money arrives: it is recorded and given back.
  const lapsed = plan.filter((p) => p.outcome === 'lapsed').map((p) => p.o.subject);
  await db('awards')
    .where({ campaign_id: w.campaignId })
    .whereIn('public_id', lapsed)
    .update({ claim_deadline: new Date(w.app.clock.now().getTime() - 1000) });
  const seqBefore = Number((await db('audit_log').max('seq as m'))[0]!.m ?? 0);

  const answers = await Promise.all(
    plan.flatMap(({ o, outcome }) => [
      settleOrder(w.ctx, o.id, viewOf(o, outcome), 'return'),
      recordReceipt(w.ctx, {
        at: w.app.clock.now(),
        actor: 'system:payments-webhook',
        action: 'order.webhook_received',
        subject: `campaign:${o.campaign_id}`,
        data: { order_id: o.id },
      }).then(() => undefined),
      settleOrder(w.ctx, o.id, viewOf(o, outcome), 'webhook'),
    ]),
  );

  const entries = await db('audit_log')
    .where('seq', '>', seqBefore)
    .orderBy('seq')
    .select('*', db.raw('xmin::text AS tx'));
  for (const [i, { o, outcome }] of plan.entries()) {
    const want = expected[outcome];
    const row = await db('orders').where({ id: o.id }).first();
    t.is(row.state, want.state, `${o.purpose} ${outcome}`);
    // every caller gets the order as it left it: the first settles it, the second finds it so
    for (const k of [0, 2]) t.is((answers[i * 3 + k] as OrderRow).id, o.id);
    t.truthy([answers[i * 3], answers[i * 3 + 2]].some((a) => (a as OrderRow).state === want.state));
    const mine = entries.filter((e) => e.data.order_id === o.id);
    t.deepEqual(
      mine.filter((e) => e.action !== 'order.webhook_received').map((e) => e.action),
      want.actions,
      `${o.purpose} ${outcome}`,
    );
    t.is(mine.filter((e) => e.action === 'order.webhook_received').length, 1);
    if (want.job === 'refund_order') t.truthy(row.refund_requested_at);
    else t.is(row.refund_requested_at, null);
    const { rows: jobs } = await db.raw(
      `SELECT t.identifier FROM graphile_worker._private_jobs j
         JOIN graphile_worker._private_tasks t ON t.id = j.task_id
        WHERE j.payload->>'order_id' = ? OR (j.payload->'order_ids')::jsonb @> to_jsonb(?::text)`,
      [o.id, o.id],
    );
    t.deepEqual(
      jobs.map((j: { identifier: string }) => j.identifier),
      want.job ? [want.job] : [],
    );
  }
  // paid and honoured awards are taken once; the lapsed and the declined are not
  const collected = await db('awards')
    .where({ campaign_id: w.campaignId, status: 'collected' })
    .pluck('public_id');
  t.deepEqual(
    collected.sort(),
    plan
      .filter((p) => p.o.purpose === 'voucher_award' && p.outcome === 'paid')
      .map((p) => p.o.subject)
      .sort(),
  );
  // the stored counts moved with the awards taken, as a direct count says
  const counts = (await w.app.request('GET', `/api/campaigns/${w.campaignId}/audit`)).json.counts;
  t.deepEqual(
    counts.by_status,
    (await countByStatus(db, w.campaignId)).map((r) => ({ status: r.status, count: Number(r.count) })),
  );
  const settlements = plan.length * 3;
  t.true(new Set(entries.map((e) => e.tx)).size < settlements / 4, 'settlements shared transactions');
  const chain = await checkAuditChain({ db });
  t.true(chain.ok, JSON.stringify(chain));
});
