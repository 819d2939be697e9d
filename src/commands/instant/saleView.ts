// What anyone may see of an instant sale: the room's rules and commitment, the seed once revealed, stock
// left and sold, and the published queue order (tickets only) that `npm run verify-queue` recomputes.

import { findCampaign } from '../../db/repos/campaigns.js';
import { findLivePurchase, purchaseTotals } from '../../db/repos/instantPurchases.js';
import { publishedQueue } from '../../db/repos/instantQueue.js';
import { findRoom, findRoomCursor, findSale } from '../../db/repos/instantRooms.js';
import { stockTotals } from '../../db/repos/instantStock.js';
import { findOrder } from '../../db/repos/orders.js';
import type { Campaign } from '../../domain/campaign.js';
import { DomainError } from '../../domain/errors.js';
import { splitStock } from '../../domain/instant/purchase.js';
import { turnsEnded } from '../../domain/instant/waitingRoom.js';
import type { CommandContext } from '../context.js';
import { type VoucherShown, vouchersShown } from '../payments/vouchersShown.js';
import { STOCK_ROWS } from './context.js';
import { rulesOf } from './roomRules.js';

export async function saleView(ctx: CommandContext, campaignId: string) {
  const room = await findRoom(ctx.db, campaignId);
  const sale = room && (await findSale(ctx.db, campaignId));
  // A draft's room (made when its rules were set) is not public until the sale is scheduled.
  if (!room || !sale || sale.state === 'draft') throw new DomainError('not_found', 'No instant sale here');
  const rows = await stockTotals(ctx.db, campaignId);
  // The opening's shuffle lays the stock out in rows; before it, all of what it will lay out is left (not 0).
  const whole = splitStock(sale.total, sale.denomination, STOCK_ROWS).reduce((a, b) => a + b, 0);
  const stock = rows.rows > 0 ? rows : { initial: whole, remaining: whole };
  const sold = await purchaseTotals(ctx.db, campaignId);
  return {
    seed_commitment: room.seed_commitment,
    secret: room.secret,
    seed: room.seed,
    shuffled_at: room.shuffled_at?.toISOString() ?? null,
    pre_queue: room.pre_count,
    admitted_through: room.admitted_through,
    rules: rulesOf(room),
    stock: { initial: stock.initial, remaining: stock.remaining, sold: sold.sold, purchases: sold.purchases },
  };
}

/**
 * Whether an opened sale has ended for anyone not already holding a turn or a purchase: sold out for good (nothing
 * left, nothing held to come back) or closed; undefined while it can still sell, or before its opening.
 */
export async function saleEnded(
  ctx: CommandContext,
  campaignId: string,
): Promise<'sale_sold_out' | 'sale_closed' | undefined> {
  const room = await findRoomCursor(ctx.db, campaignId);
  return room && turnsEnded(room.remaining, room.holds_live, room.closed);
}

/** A page of the published order, by rank. */
export async function queueOrder(ctx: CommandContext, campaignId: string, after: number, limit: number) {
  const rows = await publishedQueue(ctx.db, campaignId, limit, after);
  return rows.map((r: { rank: number; ticket: string; pre: boolean }) => ({
    rank: Number(r.rank),
    ticket: r.ticket,
    pre_queue: r.pre,
  }));
}

export interface PurchaseView {
  id: string;
  quantity: number;
  hold_expires_at: string;
  order_id: string | null;
  order_state: string;
  checkout_url: string | undefined;
  /** once the order is issued: the vouchers, as a lottery winner's are shown (vouchersShown.ts) */
  vouchers: VoucherShown[];
}

/** One's own purchase: what, how much, the payment's state and where to pay; once issued, the vouchers. */
export async function purchaseView(
  ctx: CommandContext,
  campaign: Pick<Campaign, 'id' | 'time_zone'>,
  identityId: string,
): Promise<PurchaseView | undefined> {
  const p = await findLivePurchase(ctx.db, campaign.id, identityId);
  if (!p) return undefined;
  const order = p.order_id ? await findOrder(ctx.db, p.order_id) : undefined;
  // The purchase's answer lives on its order (the purchase's own response column is no longer written).
  const answered = (order?.response ?? {}) as { checkout_url?: string };
  return {
    id: p.public_id,
    quantity: p.quantity,
    hold_expires_at: p.hold_expires_at.toISOString(),
    order_id: order?.id ?? null,
    order_state: order?.state ?? 'created',
    checkout_url: answered.checkout_url,
    vouchers: await vouchersShown(ctx.db, order, campaign.time_zone),
  };
}

/** The whole published order with the revealed secret, for `npm run verify-queue`; none before opening. */
export async function queueAudit(ctx: CommandContext, campaignId: string) {
  const room = await findRoom(ctx.db, campaignId);
  const c = await findCampaign(ctx.db, campaignId);
  if (!room || !c) throw new DomainError('not_found', 'No instant sale here');
  if (!room.secret || !room.seed)
    throw new DomainError('campaign_not_open', 'The order is published at opening');
  const entries = [];
  for (let after = 0; ; ) {
    const page = await queueOrder(ctx, campaignId, after, 10_000);
    entries.push(...page);
    if (page.length < 10_000) break;
    after = page.at(-1)!.rank;
  }
  return {
    campaign_code: c.code,
    seed_commitment: room.seed_commitment,
    secret: room.secret,
    seed: room.seed,
    entries,
  };
}
