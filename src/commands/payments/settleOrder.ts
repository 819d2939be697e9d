// The provider's answer about a payment applied to its order, in one transaction: the same code runs for the
// browser's return, the webhook and the reconciler, so whichever comes first settles it and the others find
// nothing left to do. Paid and still honourable: the award is taken and the voucher issue job is enqueued.
// Paid but not honourable (expired award, closed order, wrong amount): the money is recorded and a refund job
// enqueued, so no paid order is ever left without vouchers or its money back.
// Settlements arriving together share one transaction and one commit (db/batch.ts): every one appends to the
// audit chain, whose one lock is held until commit, so alone they went one commit flush at a time.
import pLimit from 'p-limit';
import { type AuditInput, appendAudit, appendAuditBatch } from '../../audit/log.js';
import { type Batched, batched } from '../../db/batch.js';
import type { Trx } from '../../db/knex.js';
import { type AwardRow, lockAwards, markManyCollected } from '../../db/repos/awards.js';
import { moveDrawCounts, type StatusMove } from '../../db/repos/drawCounts.js';
import {
  addOrderJob,
  addOrdersJob,
  lockOrders,
  moveOrder,
  moveOrdersPaid,
  type OrderRow,
  updateOrder,
} from '../../db/repos/orders.js';
import { inTransaction } from '../../db/transaction.js';
import { type ProviderView, type Settlement, settle } from '../../domain/payments/order.js';
import { heldOf } from '../awardNotices.js';
import type { CommandContext } from '../context.js';
import { ISSUE_TASK, type PaymentContext, REFUND_TASK } from './context.js';

export type SettleSource = 'return' | 'webhook' | 'reconciler';

/** A payment write to the audit chain: an order settled with the provider's answer, or a webhook's receipt. */
export type PaymentWrite =
  | { kind: 'settle'; orderId: string; view: ProviderView; source: SettleSource }
  | { kind: 'receipt'; entry: AuditInput };

/** The process's payment writes, batched: a settlement answers its order as it left it, a receipt nothing. */
export type Settlements = Batched<PaymentWrite, OrderRow | undefined>;

/** Where a settlement's audit entries go: kept for the batch's one append, or appended at once. */
type Recorder = (entry: AuditInput) => Promise<void>;

const entry = (o: OrderRow, at: Date, source: SettleSource, action: string, data = {}): AuditInput => ({
  at,
  actor: `system:payments-${source}`,
  action,
  subject: `campaign:${o.campaign_id}`,
  data: { order_id: o.id, public_id: o.subject, ...data },
});

/** Whether the award behind a voucher order (locked) can still be honoured: held, in time, for this much. */
function honourable(o: OrderRow, a: AwardRow | undefined, now: Date): a is AwardRow {
  if (!a || (a.status !== 'won' && a.status !== 'promoted')) return false;
  if (a.claim_deadline && a.claim_deadline <= now) return false;
  return heldOf(a).amount >= o.face_value;
}

async function requestRefund(
  trx: Trx,
  o: OrderRow,
  now: Date,
  source: SettleSource,
  reason: string,
  record: Recorder,
): Promise<OrderRow> {
  const row = (await updateOrder(trx, o.id, {
    refund_requested_at: now,
    refund_reason: reason,
    updated_at: now,
  }))!;
  await record(entry(o, now, source, 'order.refund_requested', { reason, amount: row.paid_amount }));
  await addOrderJob(trx, REFUND_TASK, o.id);
  return row;
}

/**
 * A settlement other than a payment to keep (nothing to do, a close, money to give back), up to its audit
 * entries, which are recorded for the batch's one append. Rare next to payments, so one order at a time.
 */
async function settleOther(
  trx: Trx,
  o: OrderRow,
  s: Exclude<Settlement, { kind: 'paid' }>,
  view: ProviderView,
  source: SettleSource,
  now: Date,
  record: Recorder,
): Promise<OrderRow> {
  switch (s.kind) {
    case 'none':
      return o;
    case 'close': {
      const closed = (await moveOrder(trx, o.id, o.state, s.to, {
        [s.to === 'failed' ? 'failed_at' : 'cancelled_at']: now,
        failure_code: s.code,
        failure_message: s.message.slice(0, 500),
        updated_at: now,
      }))!;
      await record(entry(o, now, source, `order.${s.to}`, { code: s.code }));
      return closed;
    }
    case 'refund': {
      const set = { paid_amount: view.amount, provider_tx_id: view.transactionId ?? null, updated_at: now };
      const row = s.close
        ? await moveOrder(trx, o.id, o.state, s.close, { ...set, failed_at: now, failure_code: s.reason })
        : await updateOrder(trx, o.id, set);
      if (s.close) await record(entry(o, now, source, `order.${s.close}`, { code: s.reason }));
      return requestRefund(trx, row!, now, source, s.reason, record);
    }
  }
}

/** A paid order of the batch: where its answer goes, and who asked. */
interface Paid {
  at: number;
  order: OrderRow;
  source: SettleSource;
}

/**
 * The paid award orders' awards, taken once the chain's lock is held (every path takes it before count rows), a
 * few statements for them all: locked, those still honourable collected, the counts moved a campaign at a time
 * and one issue job enqueued for them; the rest have their money given back.
 */
async function takeAwards(trx: Trx, paid: readonly Paid[], now: Date, out: Array<OrderRow | undefined>) {
  if (paid.length === 0) return;
  const keyOf = (k: { campaign_id: string; public_id: string }) => `${k.campaign_id}/${k.public_id}`;
  const keys = paid.map((p) => ({ campaign_id: p.order.campaign_id, public_id: p.order.subject }));
  const awards = new Map((await lockAwards(trx, keys)).map((a) => [keyOf(a), a]));
  const marks: Array<{ p: Paid; a: AwardRow }> = [];
  for (const [i, p] of paid.entries()) {
    const a = awards.get(keyOf(keys[i]!));
    if (!honourable(p.order, a, now)) continue;
    marks.push({ p, a });
    awards.delete(keyOf(keys[i]!)); // a second paid order for the same award finds it taken
  }
  const taken = new Set(
    (
      await markManyCollected(
        trx,
        marks.map(({ p, a }) => ({
          campaign_id: p.order.campaign_id,
          public_id: p.order.subject,
          m: { site: heldOf(a).site, by: `order:${p.order.id}`, at: now, via: 'payment', ref: p.order.id },
        })),
      )
    ).map(keyOf),
  );
  const collected = marks.filter(({ p }) =>
    taken.has(keyOf({ campaign_id: p.order.campaign_id, public_id: p.order.subject })),
  );
  const append = (e: AuditInput) => appendAudit(trx, e);
  const kept = new Set(collected.map(({ p }) => p));
  for (const p of paid) {
    if (!kept.has(p))
      out[p.at] = await requestRefund(trx, p.order, now, p.source, 'award_not_honoured', append);
  }
  const moves = new Map<string, StatusMove[]>();
  for (const { p, a } of collected) {
    const m = moves.get(p.order.campaign_id) ?? [];
    m.push({ public_id: p.order.subject, from: a.status, to: 'collected' });
    moves.set(p.order.campaign_id, m);
  }
  for (const [campaignId, m] of moves) await moveDrawCounts(trx, campaignId, m);
  await addOrdersJob(
    trx,
    ISSUE_TASK,
    collected.map(({ p }) => p.order.id),
  );
}

/** The batch's settlements in rounds, each order at most once a round (a second look sees the first's work). */
function roundsOf(writes: readonly PaymentWrite[]): number[][] {
  const rounds: number[][] = [];
  const seen = new Map<string, number>();
  writes.forEach((w, i) => {
    if (w.kind !== 'settle') return;
    const round = seen.get(w.orderId) ?? 0;
    seen.set(w.orderId, round + 1);
    if (round === rounds.length) rounds.push([]);
    rounds[round]!.push(i);
  });
  return rounds.length > 0 ? rounds : [[]];
}

/**
 * The writes in one transaction, in a few statements whatever their number. Each round locks its orders first,
 * in id order, so batches never wait on each other in a cycle and none waits for an order row while holding the
 * chain's lock; then moves the paid ones in one statement (the rest one by one), enqueues one issue job for them, and
 * appends every audit entry (and the receipts) in one statement, which takes the chain's lock; and only then
 * takes the paid awards, since every path takes the chain's lock before count rows.
 */
async function writeAll(ctx: CommandContext, writes: readonly PaymentWrite[]) {
  return inTransaction(ctx.db, async (trx) => {
    const now = ctx.clock.now();
    const out: Array<OrderRow | undefined> = writes.map(() => undefined);
    const settleOf = (i: number) => writes[i] as Extract<PaymentWrite, { kind: 'settle' }>;
    let receipts = writes.flatMap((w) => (w.kind === 'receipt' ? [w.entry] : []));
    for (const round of roundsOf(writes)) {
      round.sort((a, b) => (settleOf(a).orderId < settleOf(b).orderId ? -1 : 1));
      const locked = await lockOrders(
        trx,
        round.map((i) => settleOf(i).orderId),
      );
      const rows = new Map(locked.map((o) => [o.id, o]));
      const entries = receipts;
      receipts = [];
      const keep = async (e: AuditInput) => {
        entries.push(e);
      };
      const toPay: Array<{ at: number; o: OrderRow; view: ProviderView; source: SettleSource }> = [];
      for (const i of round) {
        const { orderId, view, source } = settleOf(i);
        const o = rows.get(orderId);
        if (!o) throw new Error(`no order ${orderId}`);
        const s = settle(o, view);
        if (s.kind === 'paid') toPay.push({ at: i, o, view, source });
        else out[i] = await settleOther(trx, o, s, view, source, now, keep);
      }
      const moved = await moveOrdersPaid(
        trx,
        toPay.map(({ o, view }) => ({
          id: o.id,
          from: o.state,
          amount: view.amount,
          tx: view.transactionId ?? null,
        })),
        now,
      );
      const paidRows = new Map(moved.map((o) => [o.id, o]));
      const paid: Paid[] = toPay.map(({ at, o, view, source }) => {
        const order = paidRows.get(o.id);
        if (!order) throw new Error(`order ${o.id} did not move to paid`);
        const tx = view.transactionId ?? null;
        entries.push(entry(o, now, source, 'order.paid', { amount: view.amount, provider_tx_id: tx }));
        out[at] = order;
        return { at, order, source };
      });
      const awarded = paid.filter((p) => p.order.purpose === 'voucher_award');
      await addOrdersJob(
        trx,
        ISSUE_TASK,
        paid.filter((p) => p.order.purpose !== 'voucher_award').map((p) => p.order.id),
      );
      await appendAuditBatch(trx, entries);
      await takeAwards(trx, awarded, now, out);
    }
    return out;
  });
}

/**
 * Payment writes to the audit chain go through one batcher a process (made by the composition root): the
 * chain's lock admits one transaction a commit flush however many wait, so the calls that arrive meanwhile go as
 * one transaction and one flush. Two lanes: one batch locks and moves its orders while the other holds the lock
 * through its commit; more would only queue on the lock holding pool connections an instant sale's buyers need.
 */
export function batchedSettlements(ctx: CommandContext, lanes = 2): Settlements {
  // a failed batch's calls run again alone, all at once: no more of them at the lock than lanes of batches
  const alone = pLimit(lanes);
  return batched({
    one: async (w) => (await alone(() => writeAll(ctx, [w])))[0],
    many: (ws) => writeAll(ctx, ws),
    lanes,
    // bounds a batch's order locks and its time at the chain's lock (award orders take their rows under it)
    maxBatch: 100,
  });
}

export async function settleOrder(
  ctx: PaymentContext,
  orderId: string,
  view: ProviderView,
  source: SettleSource,
): Promise<OrderRow> {
  return (await ctx.settlements({ kind: 'settle', orderId, view, source }))!;
}

/** A webhook's arrival, on the chain in its own transaction or one shared with settlements. */
export async function recordReceipt(ctx: PaymentContext, e: AuditInput): Promise<void> {
  await ctx.settlements({ kind: 'receipt', entry: e });
}
