// Many random runs of the whole payment flow with faults injected (fast-check): payments declined, cancelled,
// paid twice or late, webhooks doubled or lost, the provider timing out, awards lapsing, the issuer crashing
// before its commit. After each run, once everything has drained:
//   sum of issued face value = sum of the face value of paid orders kept (not refunded);
//   no award has two paid orders kept; every paid order is issued or refunded; no order moved back.
import test from 'ava';
import fc from 'fast-check';
import { expireUnclaimedAwards } from '../../src/commands/awards.js';
import { confirmPayment } from '../../src/commands/payments/confirmPayment.js';
import { createAwardOrder } from '../../src/commands/payments/createAwardOrder.js';
import { issueVouchers } from '../../src/commands/payments/issueVouchers.js';
import { DomainError } from '../../src/domain/errors.js';
import { canMove, type OrderState } from '../../src/domain/payments/order.js';
import { ProviderUnavailable } from '../../src/payments/provider.js';
import { TEST_SECRETS } from '../helpers/app.js';
import { type PaymentWorld, paymentWorld, seeded } from '../helpers/payments.js';

let w: PaymentWorld;
let awardsSnapshot: Array<Record<string, unknown>>;
// The provider's fault draws start again from each run's own seed: a run then does not depend on how many draws
// the runs before it made, so PAYMENT_PATH replays it.
let faultDraw = seeded(1);
test.before(async () => {
  w = await paymentWorld({ timeoutMs: 150, applicants: 30, random: () => faultDraw() });
  awardsSnapshot = await w.app.db('awards').where({ campaign_id: w.campaignId });
});
test.after.always(async () => {
  await w?.close();
});

async function reset(seed: number) {
  await w.dev!.settled();
  faultDraw = seeded(seed);
  await w.app.db.raw('TRUNCATE vouchers, payment_webhooks, dev_payments, orders');
  await w.app.db.raw(`DELETE FROM graphile_worker._private_jobs`);
  await w.app.db('awards').where({ campaign_id: w.campaignId }).delete();
  await w.app.db.batchInsert('awards', awardsSnapshot, 500);
  Object.assign(w.faults, {
    latencyMs: 0,
    duplicateRate: 0.3,
    dropRate: 0.3,
    failureRate: 0,
    webhookDelayMs: 0,
  });
  w.app.clock.set(new Date(Date.parse('2026-12-01T05:00:00+09:00') + (seed % 3600) * 1000));
}

const who = fc.integer({ min: 0, max: 2 });
const event = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('order' as const), who, reuseKey: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('pay' as const), who }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constantFrom('decline' as const, 'cancel' as const), who }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('return' as const), who }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('late_pay' as const), who }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('provider' as const), down: fc.boolean() }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('tick' as const), minutes: fc.integer({ min: 1, max: 45 }) }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('lapse' as const), who }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('jobs' as const), crash: fc.boolean() }), weight: 2 },
);
type Event = typeof event extends fc.Arbitrary<infer E> ? E : never;

const latestOrder = (i: number) =>
  w.app
    .db('orders')
    .where({ campaign_id: w.campaignId, subject: w.winners[i]!.public_id })
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .first();

let keySeq = 0;
async function apply(e: Event): Promise<void> {
  const ctx = w.ctx;
  switch (e.kind) {
    case 'order': {
      const p = w.winners[e.who]!;
      try {
        await createAwardOrder(
          ctx,
          {
            campaign_id: w.campaignId,
            public_id: p.public_id,
            idempotency_key: e.reuseKey ? `k-${e.who}` : `k-${++keySeq}`,
          },
          (id) => `${w.app.url}/payments/return/${id}`,
        );
      } catch (err) {
        if (!(err instanceof DomainError)) throw err; // refusals are answers
      }
      return;
    }
    case 'pay':
    case 'decline':
    case 'cancel': {
      const o = await latestOrder(e.who);
      if (o && (await w.dev!.checkout.find(o.payment_id)))
        await w.dev!.checkout.complete(o.payment_id, e.kind);
      return;
    }
    case 'return': {
      const o = await latestOrder(e.who);
      if (o) await confirmPayment(ctx, o, 'return');
      return;
    }
    case 'late_pay': {
      // The gateway takes the money whatever our side thinks (a payment completing after we gave up).
      const o = await latestOrder(e.who);
      if (o) {
        await w.app
          .db('dev_payments')
          .where({ payment_id: o.payment_id, status: 'READY' })
          .update({ status: 'PAID', paid_at: new Date() });
      }
      return;
    }
    case 'provider':
      w.faults.latencyMs = e.down ? 200 : 0; // past the 150 ms timeout: every call times out
      return;
    case 'tick':
      w.app.clock.advance(e.minutes * 60_000);
      await w.reconcile();
      return;
    case 'lapse': {
      // The award's deadline passes and the expiry sweep runs (pass-down).
      const p = w.winners[e.who]!;
      await w.app
        .db('awards')
        .where({ campaign_id: w.campaignId, public_id: p.public_id })
        .whereIn('status', ['won', 'promoted'])
        .update({ claim_deadline: new Date(w.app.clock.now().getTime() - 1000) });
      await expireUnclaimedAwards({
        db: w.app.db,
        clock: w.app.clock,
        secrets: TEST_SECRETS,
        publicUrl: w.app.url,
      });
      return;
    }
    case 'jobs': {
      if (e.crash) {
        const paid = await w.app.db('orders').where({ campaign_id: w.campaignId, state: 'paid' }).first();
        const crashing = {
          name: ctx.issuer.name,
          issue: async (req: Parameters<typeof ctx.issuer.issue>[0]) => {
            await ctx.issuer.issue(req);
            throw new Error('crash');
          },
        };
        if (paid) await issueVouchers(ctx, crashing, paid.id).catch(() => undefined);
      }
      await w.dev!.settled();
      await jobsAsTheWorker();
    }
  }
}

/**
 * The worker's pass over the queued jobs. A job the provider fails (down: a refund's cancel times out) throws to
 * its worker, which tries it again later; the reconciler also takes over refunds and issues left undone. Without
 * this the run itself threw, and CI reported a broken property with no broken invariant.
 */
async function jobsAsTheWorker() {
  try {
    await w.runJobs();
  } catch (err) {
    if (!(err instanceof ProviderUnavailable)) throw err;
  }
}

async function drain() {
  w.faults.latencyMs = 0;
  w.faults.dropRate = 0;
  await w.dev!.settled();
  for (let i = 0; i < 4; i++) {
    w.app.clock.advance(3 * 3600_000);
    await w.reconcile();
    await w.dev!.settled();
    await jobsAsTheWorker();
  }
}

async function checkInvariants(): Promise<string[]> {
  const problems: string[] = [];
  const orders = await w.app.db('orders').where({ campaign_id: w.campaignId });
  const kept = orders.filter((o) => o.paid_amount !== null && o.refunded_at === null);
  const vouchers = await w.app.db('vouchers').where({ campaign_id: w.campaignId });
  const issuedFace = vouchers.reduce((s, v) => s + Number(v.face_value), 0);
  const paidFace = kept.reduce((s, o) => s + Number(o.face_value), 0);
  if (issuedFace !== paidFace) problems.push(`issued ${issuedFace} != paid ${paidFace}`);
  const perAward = new Map<string, number>();
  for (const o of kept) perAward.set(o.subject, (perAward.get(o.subject) ?? 0) + 1);
  for (const [s, n] of perAward) if (n > 1) problems.push(`award ${s} has ${n} paid orders`);
  for (const o of orders) {
    if (o.paid_amount !== null && o.state !== 'issued' && o.refunded_at === null) {
      problems.push(`paid order ${o.id} is ${o.state}, neither issued nor refunded`);
    }
    if (o.state === 'issued' && o.refunded_at !== null) problems.push(`order ${o.id} issued and refunded`);
  }
  // The provider's ledger agrees: money it holds is for issued orders only.
  const ledger = await w.app.db('dev_payments').where({ status: 'PAID' });
  const byPayment = new Map(orders.map((o) => [o.payment_id, o]));
  for (const p of ledger) {
    if (byPayment.get(p.payment_id)?.state !== 'issued')
      problems.push(`provider kept ${p.payment_id} unissued`);
  }
  // Forward only: each order's audited states follow the allowed moves.
  const trail = await w.app.db('audit_log').where('action', 'like', 'order.%').orderBy('seq');
  const last = new Map<string, OrderState>();
  for (const a of trail) {
    const to = a.action.slice('order.'.length);
    const id = a.data.order_id as string;
    if (!['created', 'pending', 'paid', 'issued', 'failed', 'cancelled', 'expired', 'refunded'].includes(to))
      continue;
    const from = last.get(id);
    if (to !== 'created' && from && !canMove(from, to as OrderState))
      problems.push(`order ${id} ${from} -> ${to}`);
    last.set(id, to as OrderState);
  }
  return problems;
}

test('random runs with faults keep the money and the vouchers in step', async (t) => {
  t.timeout(300_000); // about 2 s a run on a quiet 2-core machine
  let runs = 0;
  let paidSeen = 0;
  let refundsSeen = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(event, { minLength: 5, maxLength: 25 }),
      fc.integer({ min: 0, max: 1e6 }),
      async (events, seed) => {
        await reset(seed);
        for (const e of events) await apply(e);
        await drain();
        const problems = await checkInvariants();
        runs++;
        paidSeen += (await w.app.db('orders').whereNotNull('paid_amount')).length;
        refundsSeen += (await w.app.db('orders').whereNotNull('refunded_at')).length;
        if (problems.length) {
          // said now: a teardown's log is not shown with a failure
          t.log([...problems, `events: ${JSON.stringify(events)}`, `seed: ${seed}`].join('\n'));
          return false;
        }
        return true;
      },
    ),
    // A fixed seed: the same 30 runs every time, chosen because they include refunds (a random seed sometimes
    // drew none, and the check below failed with nothing wrong). PAYMENT_SEED explores others; PAYMENT_PATH
    // replays the one run a failure names (its "path").
    {
      numRuns: process.env.PAYMENT_PATH ? 1 : Number(process.env.PAYMENT_RUNS ?? 30),
      seed: Number(process.env.PAYMENT_SEED ?? 20261203),
      ...(process.env.PAYMENT_PATH ? { path: process.env.PAYMENT_PATH } : {}),
      endOnFailure: true,
    },
  );
  t.log(`${runs} runs, ${paidSeen} paid orders, ${refundsSeen} refunds`);
  if (process.env.PAYMENT_PATH) t.is(runs, 1, 'the one run replayed');
  else t.true(paidSeen > 0 && refundsSeen > 0, 'the runs paid and refunded something');
});
