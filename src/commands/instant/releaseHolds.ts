// New purchases go into the audit log a batch at a time. Holds that ended: a paid order makes its purchase paid;
// a hold whose time ran out, or whose payment failed, gives its stock back and expires its order if still open (or
// cancels it and tells the buyer, when the sale was cancelled), so a payment that arrives later is refunded. Each
// order is locked before it is judged (before the audit chain's lock, as every path takes them): a payment settling
// at the same moment either wins (the purchase stays, to be marked paid) or finds the order expired (and refunds).
// Stock goes back last, summed per row and in row order, the order purchases lock rows in, so the two cannot
// deadlock.
import { appendAudit } from '../../audit/log.js';
import type { Trx } from '../../db/knex.js';
import { findCampaign } from '../../db/repos/campaigns.js';
import {
  lockPurchasesToRelease,
  markAudited,
  markPaidPurchases,
  markReleased,
} from '../../db/repos/instantPurchases.js';
import { giveBack } from '../../db/repos/instantStock.js';
import { lockOrders, moveOrder, type OrderRow, orderRecipients } from '../../db/repos/orders.js';
import { cancelNoteOf } from '../../domain/campaign.js';
import { enqueueNotices } from '../../notify/enqueue.js';
import type { NoticeRequest } from '../../notify/notice.js';
import type { NoticeEnv } from '../awardNotices.js';
import type { CommandContext } from '../context.js';
import { contactOf, placeNotice } from './placeNotice.js';

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
 * Those whose unpaid purchase ended with the sale are told, in the transaction that ended it: they may be at the
 * provider's page, about to pay. A contact that will not open is left untold (the page says it all the same).
 */
async function tellCancelled(ctx: SettleContext, trx: Trx, campaignId: string, publicIds: string[]) {
  if (publicIds.length === 0) return;
  const c = await findCampaign(trx, campaignId);
  const recipients = await orderRecipients(
    trx,
    publicIds.map((public_id) => ({ campaign_id: campaignId, public_id })),
  );
  const notices: NoticeRequest[] = [];
  for (const who of recipients.values()) {
    const to = contactOf(ctx, who);
    if (to === undefined) continue;
    notices.push(
      placeNotice(ctx, c!, who, to, {
        kind: 'sale_cancelled',
        dedupeKey: `sale_cancelled:${campaignId}:${who.public_id}`,
        params: cancelNoteOf(c!, who.lang),
      }),
    );
  }
  await enqueueNotices(trx, notices, ctx.secrets.dataKey);
}

/** What settling needs: the database and clock, and for telling the buyers of a cancelled sale, keys and links. */
export type SettleContext = CommandContext & NoticeEnv;

export interface Settled {
  paid: number;
  released: number;
  /** a whole batch of holds was looked at: more may be waiting */
  more: boolean;
}

/**
 * `saleCancelled`: the sale was cancelled, so every hold not yet paid ends now, its order cancelled (a payment that
 * still comes is refunded as late); what was paid stands and is issued as in any sale.
 */
export async function settleHolds(
  ctx: SettleContext,
  campaignId: string,
  saleCancelled = false,
  batch = BATCH,
): Promise<Settled> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (trx) => {
    // The holds that may end and their orders are locked before the audit chain's lock, in id order, as settlements
    // and issuing lock orders: waiting for an order while holding the chain could deadlock with them.
    const candidates = await lockPurchasesToRelease(trx, campaignId, now, batch, saleCancelled);
    const more = candidates.length === batch;
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
    if (ended.length === 0) return { paid, released: 0, more };
    const cancelledWithSale = ended.filter((e) => e.reason === 'sale_cancelled').map((e) => e.public_id);
    // One entry per batch: the audit chain is one head, and an entry per hold would serialise the sale.
    await appendAudit(trx, {
      at: now,
      actor: 'system:instant-sale',
      action: 'instant.holds_released',
      subject: `campaign:${campaignId}`,
      // those whose unpaid order the cancel ended, named apart from holds that ended otherwise in the same batch
      data: {
        purchases: ended.map((e) => e.public_id),
        ...(cancelledWithSale.length > 0 ? { sale_cancelled: cancelledWithSale } : {}),
      },
    });
    for (const e of ended) await markReleased(trx, e.id, e.reason, now);
    await tellCancelled(ctx, trx, campaignId, cancelledWithSale);
    const rows = [...back.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([shard, quantity]) => ({ shard, quantity }));
    await giveBack(trx, campaignId, rows);
    return { paid, released: ended.length, more };
  });
}

/** Batches of a cancelled sale's holds ended in one pass at most: 10,000 holds, a sale's opening's worth. */
const CANCELLED_BATCHES_A_PASS = 20;

/**
 * A cancelled sale's holds, ended batch after batch in this pass rather than a batch a pass: until they are, their
 * buyers can still pay a sale that no longer is.
 */
export async function endCancelledHolds(
  ctx: SettleContext,
  campaignId: string,
  batch = BATCH,
): Promise<Settled> {
  const total: Settled = { paid: 0, released: 0, more: true };
  for (let n = 0; n < CANCELLED_BATCHES_A_PASS && total.more; n++) {
    const r = await settleHolds(ctx, campaignId, true, batch);
    total.paid += r.paid;
    total.released += r.released;
    total.more = r.more;
  }
  return total;
}
