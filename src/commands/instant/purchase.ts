// Buying in an instant sale. In one transaction: the admission token is spent, the purchase is inserted first
// (the per-person limit is its unique key), then stock is taken from the buyer's home row (or, when that row
// ran dry, from the rows that still hold some, locked in a fixed order), then the payment order is created.
// Sold out rolls all of it back. The checkout is registered with the provider after commit; the stock is held
// until the order is paid, and goes back when the hold runs out or the payment fails (releaseHolds.ts).
import { createHash } from 'node:crypto';
import type { Trx } from '../../db/knex.js';
import {
  completePurchase,
  findLivePurchase,
  findPurchaseByKey,
  insertPurchase,
  type PurchaseRow,
  setPurchaseResponse,
} from '../../db/repos/instantPurchases.js';
import { spendToken } from '../../db/repos/instantQueue.js';
import { findRoom, findSale } from '../../db/repos/instantRooms.js';
import { lockRowsWithStock, takeExactly, takeFromShard } from '../../db/repos/instantStock.js';
import { findOrder, insertOrder } from '../../db/repos/orders.js';
import { DomainError, validationFailed } from '../../domain/errors.js';
import {
  homeShard,
  planTakes,
  purchaseFingerprint,
  validatePurchase,
} from '../../domain/instant/purchase.js';
import { priceOf } from '../../domain/payments/order.js';
import { uuidFrom } from '../intakeContext.js';
import { openCheckout } from '../payments/createAwardOrder.js';
import { verifyAdmission } from './admissionToken.js';
import { DEFAULT_ROOM, type InstantContext, STOCK_ROWS } from './context.js';

export interface PurchaseInput {
  campaign_id: string;
  quantity: number;
  idempotency_key: string;
  admission_token: string;
}

export interface PurchaseAnswer {
  status: 200 | 201;
  purchase: Record<string, unknown>;
  replayed: boolean;
}

const hashOf = (fingerprint: string) => createHash('sha256').update(fingerprint).digest('hex');

/** Runs the purchase's transaction; the route passes a bound on how many run at once. */
export type TransactionSlot = <T>(run: () => Promise<T>) => Promise<T>;

export async function purchase(
  ctx: InstantContext,
  identityId: string,
  input: PurchaseInput,
  slot: TransactionSlot = (run) => run(),
): Promise<PurchaseAnswer> {
  const payment = ctx.payment;
  if (!payment) throw new DomainError('payment_unavailable', 'Payments are not set up on this service');
  const now = ctx.clock.now();
  const c = await findSale(ctx.db, input.campaign_id);
  if (c?.mode !== 'instant') throw new DomainError('not_found', 'No instant sale here');
  const fields = validatePurchase(c, input.quantity);
  if (Object.keys(fields).length > 0) throw validationFailed(fields);
  const fingerprint = purchaseFingerprint(c.id, input.quantity);

  const earlier = await findPurchaseByKey(ctx.db, c.id, identityId, input.idempotency_key);
  if (earlier) return replay(ctx, earlier, fingerprint);
  const admission = await verifyAdmission(
    ctx.secrets.sessionSecret,
    input.admission_token,
    { sub: identityId, cid: c.id },
    now,
  );

  const made = await slot(() =>
    ctx.db.transaction(async (trx) => {
      if (!(await spendToken(trx, c.id, identityId, admission.jti, now))) {
        throw new DomainError('admission_used', 'This admission was already used or replaced');
      }
      const id = uuidFrom(ctx.random);
      const room = await findRoom(trx, c.id);
      const holdUntil = new Date(now.getTime() + (room?.hold_seconds ?? DEFAULT_ROOM.hold_seconds) * 1000);
      const row = await insertPurchase(trx, {
        id,
        public_id: `P-${id.replace(/-/g, '').slice(0, 16).toUpperCase()}`, // 64 bits: no collision to explain
        campaign_id: c.id,
        identity_id: identityId,
        quantity: input.quantity,
        idempotency_key: input.idempotency_key,
        fingerprint,
        hold_expires_at: holdUntil,
        created_at: now,
      });
      if (!row) await refuseSecond(trx, c.id, identityId);
      const order = await insertOrder(trx, {
        id: uuidFrom(ctx.random),
        payment_id: `fa-${id}`,
        purpose: 'instant_order',
        campaign_id: c.id,
        subject: row!.public_id,
        idempotency_key: input.idempotency_key,
        request_hash: hashOf(fingerprint),
        face_value: input.quantity,
        amount: priceOf({ face_value: input.quantity, discount_bp: c.discount_bp }),
        provider: payment.provider.name,
        expires_at: holdUntil,
        created_at: now,
      });
      // Stock last: its row stays locked until commit, so nothing else waits behind it longer than it must.
      const takes = await takeStock(trx, c.id, identityId, input.quantity);
      await completePurchase(trx, id, { takes, order_id: order!.id, response: {} });
      return { ...row!, takes, order_id: order!.id };
    }),
  ).catch(async (err) => {
    // The same key sent twice at once: the first spent the token; the second answers what the first did.
    if (!(err instanceof DomainError) || err.code !== 'admission_used') throw err;
    const first = await findPurchaseByKey(ctx.db, c.id, identityId, input.idempotency_key);
    if (!first) throw err;
    return { replayOf: first };
  });
  if ('replayOf' in made) return replay(ctx, made.replayOf, fingerprint);
  return { status: 201, purchase: await checkout(ctx, made), replayed: false };
}

/** Either the same request again (its first answer) or another request under a used key (refused). */
async function replay(ctx: InstantContext, p: PurchaseRow, fingerprint: string): Promise<PurchaseAnswer> {
  if (p.fingerprint !== fingerprint) {
    throw new DomainError('idempotency_key_reused', 'This idempotency key was used for another request', {
      details: { purchase_id: p.public_id },
    });
  }
  const answered = Object.keys(p.response).length > 0;
  return { status: 200, purchase: answered ? p.response : await checkout(ctx, p), replayed: true };
}

async function refuseSecond(trx: Trx, campaignId: string, identityId: string): Promise<never> {
  const live = await findLivePurchase(trx, campaignId, identityId);
  if (!live) throw new DomainError('campaign_closed', 'The sale is not open');
  throw new DomainError('already_purchased', 'You already have a purchase in this sale', {
    details: { purchase_id: live.public_id },
  });
}

/** The home row first (one row lock); when it cannot serve, the rows that still hold stock, largest first. */
async function takeStock(trx: Trx, campaignId: string, identityId: string, quantity: number) {
  const home = homeShard(identityId, STOCK_ROWS);
  if (await takeFromShard(trx, campaignId, home, quantity)) return [{ shard: home, quantity }];
  const rows = await lockRowsWithStock(trx, campaignId);
  const plan = planTakes(
    [...rows].sort((a, b) => b.remaining - a.remaining),
    quantity,
  );
  if (!plan)
    throw new DomainError('sold_out', 'Sold out', {
      details: { left: rows.reduce((s, r) => s + r.remaining, 0) },
    });
  for (const t of plan) await takeExactly(trx, campaignId, t.shard, t.quantity);
  return plan;
}

/** Registers the checkout with the provider (after commit) and keeps the answer for replays. */
async function checkout(
  ctx: InstantContext,
  p: Pick<PurchaseRow, 'id' | 'public_id' | 'quantity' | 'hold_expires_at' | 'order_id' | 'campaign_id'>,
) {
  const order = (await findOrder(ctx.db, p.order_id!))!;
  const view = await openCheckout(
    ctx.payment!,
    order,
    `${ctx.publicUrl}/campaigns/${p.campaign_id}/queue/return?purchase=${encodeURIComponent(p.public_id)}`,
  );
  const answer = {
    id: p.public_id,
    quantity: p.quantity,
    amount: order.amount,
    hold_expires_at: p.hold_expires_at.toISOString(),
    order: view,
  };
  await setPurchaseResponse(ctx.db, p.id, answer);
  return answer;
}
