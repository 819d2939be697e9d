// Holds that ended: a paid order makes its purchase paid; a hold whose time ran out, or whose payment failed,
// gives its stock back and expires its order if still open, so a payment that arrives later is refunded.
import { appendAudit } from '../../audit/log.js';
import { lockPurchasesToRelease, markPaidPurchases, markReleased } from '../../db/repos/instantPurchases.js';
import { giveBack } from '../../db/repos/instantStock.js';
import { findOrder, moveOrder } from '../../db/repos/orders.js';
import type { CommandContext } from '../context.js';

const BATCH = 500;

export async function settleHolds(
  ctx: CommandContext,
  campaignId: string,
): Promise<{ paid: number; released: number }> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (trx) => {
    const paid = await markPaidPurchases(trx, campaignId, now);
    const due = await lockPurchasesToRelease(trx, campaignId, now, BATCH);
    for (const p of due) {
      const order = p.order_id ? await findOrder(trx, p.order_id) : undefined;
      if (order && (order.state === 'paid' || order.state === 'issued') && !order.refund_requested_at)
        continue;
      const set = { expired_at: now, updated_at: now };
      if (order)
        (await moveOrder(trx, order.id, 'pending', 'expired', set)) ??
          (await moveOrder(trx, order.id, 'created', 'expired', set));
      await giveBack(trx, campaignId, p.takes);
      await markReleased(
        trx,
        p.id,
        order && order.state !== 'pending' && order.state !== 'created'
          ? `order_${order.state}`
          : 'hold_expired',
        now,
      );
    }
    if (due.length > 0) {
      // One entry per batch: the audit chain is one head, and an entry per hold would serialise the sale.
      await appendAudit(trx, {
        at: now,
        actor: 'system:instant-sale',
        action: 'instant.holds_released',
        subject: `campaign:${campaignId}`,
        data: { purchases: due.map((p) => p.public_id) },
      });
    }
    return { paid, released: due.length };
  });
}
