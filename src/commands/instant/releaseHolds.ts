// New purchases go into the audit log a batch at a time. Holds that ended: a paid order makes its purchase paid;
// a hold whose time ran out, or whose payment failed, gives its stock back and expires its order if still open (or
// cancels it, when the sale was cancelled), so a payment that arrives later is refunded. Each order is locked before it is judged (before the audit chain's
// lock, as every path takes them): a payment settling at the same moment either wins (the purchase stays, to be
// marked paid) or finds the order expired (and refunds). Stock goes back last, summed per row and in row order,
// the order purchases lock rows in, so the two cannot deadlock.
import { appendAudit } from '../../audit/log.js';
import type { Trx } from '../../db/knex.js';
import {
  lockPurchasesToRelease,
  markAudited,
  markPaidPurchases,
  markReleased,
} from '../../db/repos/instantPurchases.js';
import { giveBack } from '../../db/repos/instantStock.js';
import { lockOrders, moveOrder, type OrderRow } from '../../db/repos/orders.js';
import type { CommandContext } from '../context.js';

const BATCH = 500;
const CLOSED = ['failed', 'cancelled', 'expired', 'refunded'];

/**
 * Why this hold ends now, or undefined when its order was paid (and keeps the stock). An open order ends with it:
 * expired when the hold ran out, cancelled when the sale was.
 */
async function endOf(
  trx: Trx,
  order: OrderRow | undefined,
  now: Date,
  saleCancelled: boolean,
): Promise<string | undefined> {
  const ending = saleCancelled ? 'sale_cancelled' : 'hold_expired';
  if (!order) return ending;
  if ((order.state === 'paid' || order.state === 'issued') && !order.refund_requested_at) return undefined;
  if (CLOSED.includes(order.state) || order.refund_requested_at) return `order_${order.state}`;
  const moved = saleCancelled
    ? await moveOrder(trx, order.id, order.state, 'cancelled', {
        cancelled_at: now,
        failure_code: 'sale_cancelled',
        failure_message: 'The sale was cancelled before this order was paid',
        updated_at: now,
      })
    : await moveOrder(trx, order.id, order.state, 'expired', { expired_at: now, updated_at: now });
  return moved ? ending : undefined;
}

/**
 * New purchases into the audit log, one entry per batch: an entry per purchase would queue every buyer of a
 * sale's opening on the chain's single head. Before any of them can be released, so the log reads in order.
 */
async function recordPurchases(trx: Trx, campaignId: string, now: Date): Promise<void> {
  for (;;) {
    const batch = await markAudited(trx, campaignId, now, BATCH);
    if (batch.length === 0) return;
    await appendAudit(trx, {
      at: now,
      actor: 'system:instant-sale',
      action: 'instant.purchased',
      subject: `campaign:${campaignId}`,
      data: {
        purchases: batch.map((p) => p.public_id),
        quantity: batch.reduce((s, p) => s + p.quantity, 0),
      },
    });
    if (batch.length < BATCH) return;
  }
}

/**
 * `saleCancelled`: the sale was cancelled, so every hold not yet paid ends now, its order cancelled (a payment that
 * still comes is refunded as late); what was paid stands and is issued as in any sale.
 */
export async function settleHolds(
  ctx: CommandContext,
  campaignId: string,
  saleCancelled = false,
): Promise<{ paid: number; released: number }> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (trx) => {
    // The holds that may end and their orders are locked before the audit chain's lock, in id order, as settlements
    // and issuing lock orders: waiting for an order while holding the chain could deadlock with them.
    const candidates = await lockPurchasesToRelease(trx, campaignId, now, BATCH, saleCancelled);
    const orders = new Map(
      (
        await lockOrders(
          trx,
          candidates.flatMap((p) => (p.order_id ? [p.order_id] : [])),
        )
      ).map((o) => [o.id, o]),
    );
    await recordPurchases(trx, campaignId, now);
    const paid = await markPaidPurchases(trx, campaignId, now);
    const ended: Array<{ id: string; public_id: string; reason: string }> = [];
    const back = new Map<number, number>();
    for (const p of candidates) {
      const reason = await endOf(trx, p.order_id ? orders.get(p.order_id) : undefined, now, saleCancelled);
      if (!reason) continue;
      ended.push({ id: p.id, public_id: p.public_id, reason });
      for (const t of p.takes) back.set(t.shard, (back.get(t.shard) ?? 0) + t.quantity);
    }
    if (ended.length === 0) return { paid, released: 0 };
    // One entry per batch: the audit chain is one head, and an entry per hold would serialise the sale.
    await appendAudit(trx, {
      at: now,
      actor: 'system:instant-sale',
      action: 'instant.holds_released',
      subject: `campaign:${campaignId}`,
      data: {
        purchases: ended.map((e) => e.public_id),
        ...(saleCancelled ? { reason: 'sale_cancelled' } : {}),
      },
    });
    for (const e of ended) await markReleased(trx, e.id, e.reason, now);
    const rows = [...back.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([shard, quantity]) => ({ shard, quantity }));
    await giveBack(trx, campaignId, rows);
    return { paid, released: ended.length };
  });
}
