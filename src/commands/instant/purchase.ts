// Buying in an instant sale. One atomic call in the common case (db/repos/instantBuy.ts, concurrent buyers
// together in one call and one commit): the admission token is spent, the purchase is inserted first (the per-person limit is its unique key), stock is taken from the
// buyer's home row (or, when it ran dry, the next row that can serve the take alone), and the payment order is
// created, already pending with its answer (the checkout's address is computed, not asked for); when no single row
// can serve it, the same in a transaction over the rows that still hold some. Any refusal writes nothing. The
// checkout is registered with the provider after commit, and again on a replay while the order is open; the stock
// is held until the order is paid, and goes back when the hold runs out or the payment fails (releaseHolds.ts).
import { createHash } from 'node:crypto';
import type { Db, Trx } from '../../db/knex.js';
import { buyAlone, type HomeRowBuy } from '../../db/repos/instantBuy.js';
import {
  completePurchase,
  findLivePurchase,
  findPurchaseByKey,
  insertPurchase,
  type PurchaseRow,
} from '../../db/repos/instantPurchases.js';
import { spendToken } from '../../db/repos/instantQueue.js';
import { findSaleWithHold } from '../../db/repos/instantRooms.js';
import { lockRowsWithStock, stockTotals, takeExactly } from '../../db/repos/instantStock.js';
import { findOrder, insertOrder } from '../../db/repos/orders.js';
import { inTransaction } from '../../db/transaction.js';
import { DomainError, validationFailed } from '../../domain/errors.js';
import {
  homeShard,
  planTakes,
  purchaseFingerprint,
  validatePurchase,
} from '../../domain/instant/purchase.js';
import { nextCheckDelayMs, OPEN_STATES, priceOf } from '../../domain/payments/order.js';
import { uuidFrom } from '../intakeContext.js';
import type { OrderView } from '../payments/context.js';
import { checkoutRequestOf, prepareCheckout, viewOf } from '../payments/createAwardOrder.js';
import { verifyAdmission } from './admissionToken.js';
import { DEFAULT_ROOM, type InstantContext, STOCK_ROWS } from './context.js';

/** A refused buy: not "sold out", which the queue says only for good; what is left may be in others' holds. */
const NOT_ENOUGH_LEFT = 'Not enough left: sold, or held for buyers paying';

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

/** Runs the purchase's transaction: the context's bound on how many run at once (one process's). */
export type TransactionSlot = <T>(run: () => Promise<T>) => Promise<T>;

export async function purchase(
  ctx: InstantContext,
  identityId: string,
  input: PurchaseInput,
  slot: TransactionSlot = ctx.purchaseSlot ?? ((run) => run()),
): Promise<PurchaseAnswer> {
  return purchaseOnce(ctx, identityId, input, slot, true);
}

/** `mayRetry`: a batch's refusal of a token another request with the same key gave back may be tried once more. */
async function purchaseOnce(
  ctx: InstantContext,
  identityId: string,
  input: PurchaseInput,
  slot: TransactionSlot,
  mayRetry: boolean,
): Promise<PurchaseAnswer> {
  const payment = ctx.payment;
  if (!payment) throw new DomainError('payment_unavailable', 'Payments are not set up on this service');
  const now = ctx.clock.now();
  const c = ctx.openSales
    ? await ctx.openSales(ctx.db, input.campaign_id, now.getTime())
    : await findSaleWithHold(ctx.db, input.campaign_id);
  if (c?.mode !== 'instant') throw new DomainError('not_found', 'No instant sale here');
  const fields = validatePurchase(c, input.quantity);
  if (Object.keys(fields).length > 0) throw validationFailed(fields);
  const fingerprint = purchaseFingerprint(c.id, input.quantity);

  // A replay usually carries a spent (or expired) token: the key is looked up only when the token fails.
  const admission = await verifyAdmission(
    ctx.secrets.sessionSecret,
    input.admission_token,
    { sub: identityId, cid: c.id },
    now,
    ctx.admissions,
  ).catch(async (err) => {
    const earlier = await findPurchaseByKey(ctx.db, c.id, identityId, input.idempotency_key);
    if (earlier) return earlier;
    throw err;
  });
  if ('fingerprint' in admission) return replay(ctx, admission, fingerprint);

  const id = uuidFrom(ctx.random);
  const holdUntil = new Date(now.getTime() + (c.hold_seconds ?? DEFAULT_ROOM.hold_seconds) * 1000);
  const order = {
    id: uuidFrom(ctx.random),
    payment_id: `fa-${id}`,
    public_id: `P-${id.replace(/-/g, '').slice(0, 16).toUpperCase()}`, // 64 bits: no collision to explain
    campaign_id: c.id,
    face_value: input.quantity,
    amount: priceOf({ face_value: input.quantity, discount_bp: c.discount_bp }),
  };
  const req = checkoutRequestOf(order, returnUrlOf(ctx, order));
  const view: OrderView = {
    id: order.id,
    state: 'pending',
    face_value: order.face_value,
    amount: order.amount,
    currency: 'KRW',
    expires_at: holdUntil.toISOString(),
    checkout_url: payment.provider.checkoutUrl(req),
  };
  const buy: HomeRowBuy = {
    campaign_id: c.id,
    identity_id: identityId,
    jti: admission.jti,
    now,
    home: homeShard(identityId, STOCK_ROWS),
    purchase_id: id,
    public_id: order.public_id,
    quantity: input.quantity,
    idempotency_key: input.idempotency_key,
    fingerprint,
    hold_expires_at: holdUntil,
    order_id: order.id,
    payment_id: order.payment_id,
    request_hash: hashOf(fingerprint),
    amount: order.amount,
    provider: payment.provider.name,
    // The buyer is at the checkout once answered: the reconciler's first look comes after its first delay, not in
    // its next pass (every order a sale's opening made would be due at once, each a provider lookup in the pass).
    next_check_at: new Date(now.getTime() + nextCheckDelayMs(0)),
    response: view as unknown as Record<string, unknown>,
  };
  const refusal = await (ctx.buys ? ctx.buys(buy) : buyAlone(ctx.db, buy));
  if (refusal === 'home_row_dry') {
    // The token and the person passed (instant_buy_many refuses those first). Sold out, the usual dry row once a sale
    // has sold, is said from one read: not from a transaction that inserts, locks and rolls back, once per buyer.
    const { remaining } = await (ctx.stockLeft ? ctx.stockLeft(c.id) : stockTotals(ctx.db, c.id));
    if (remaining < input.quantity)
      throw new DomainError('sold_out', NOT_ENOUGH_LEFT, {
        details: { left: remaining },
      });
    const spent = await slot(() => buyFromSeveralRows(ctx, buy)).then(
      () => false,
      (err) => {
        if (err instanceof DomainError && err.code === 'admission_used') return true;
        throw err;
      },
    );
    if (spent) return answerSpentTurn(ctx, buy, fingerprint);
  }
  if (refusal === 'admission_used') {
    // The same key in the same batch: the first spent the token there, then found no single row to serve it, gave
    // the token back and went on to the several rows; its purchase is not there yet. Once more meets it (its lock,
    // its commit, or the same transaction) and answers what it did.
    const again = mayRetry ? () => purchaseOnce(ctx, identityId, input, slot, false) : undefined;
    return answerSpentTurn(ctx, buy, fingerprint, again);
  }
  if (refusal === 'purchase_refused') await refuseSecond(ctx.db, c.id, identityId);
  // After commit: a registration that fails (payment_unavailable) or never happens leaves a pending order that
  // a replay registers again, or that expires with its hold (reconcileOrders.ts, releaseHolds.ts).
  await prepareCheckout(payment, order.id, req);
  return { status: 201, purchase: answerOf(buy, view), replayed: false };
}

/**
 * No single row could serve the take: the same writes in an ordinary transaction, stock taken from the rows
 * that still hold some, largest first, locked in row order.
 */
async function buyFromSeveralRows(ctx: InstantContext, b: HomeRowBuy): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    if (!(await spendToken(trx, b.campaign_id, b.identity_id, b.jti, b.now))) {
      throw new DomainError('admission_used', 'This admission was already used or replaced');
    }
    const row = await insertPurchase(trx, {
      id: b.purchase_id,
      public_id: b.public_id,
      campaign_id: b.campaign_id,
      identity_id: b.identity_id,
      quantity: b.quantity,
      idempotency_key: b.idempotency_key,
      fingerprint: b.fingerprint,
      hold_expires_at: b.hold_expires_at,
      created_at: b.now,
    });
    if (!row) await refuseSecond(trx, b.campaign_id, b.identity_id);
    const order = await insertOrder(
      trx,
      {
        id: b.order_id,
        payment_id: b.payment_id,
        purpose: 'instant_order',
        campaign_id: b.campaign_id,
        subject: b.public_id,
        idempotency_key: b.idempotency_key,
        request_hash: b.request_hash,
        face_value: b.quantity,
        amount: b.amount,
        provider: b.provider,
        expires_at: b.hold_expires_at,
        created_at: b.now,
      },
      { next_check_at: b.next_check_at, response: b.response },
    );
    // Stock last: its rows stay locked until commit, so nothing else waits behind them longer than it must.
    const takes = await takeFromRowsWithStock(trx, b.campaign_id, b.quantity);
    await completePurchase(trx, b.purchase_id, { takes, order_id: order!.id });
  });
}

/**
 * The token was spent by another request: the same key sent twice at once (a double tap, a retry), in one batch or
 * in the several-rows transaction, answers what the first did once it has committed; otherwise the turn is used.
 */
async function answerSpentTurn(
  ctx: InstantContext,
  b: HomeRowBuy,
  fingerprint: string,
  again?: () => Promise<PurchaseAnswer>,
): Promise<PurchaseAnswer> {
  const first = await findPurchaseByKey(ctx.db, b.campaign_id, b.identity_id, b.idempotency_key);
  if (first) return replay(ctx, first, fingerprint);
  if (again) return again();
  throw new DomainError('admission_used', 'This admission was already used or replaced');
}

/** Either the same request again (its first answer) or another request under a used key (refused). */
async function replay(ctx: InstantContext, p: PurchaseRow, fingerprint: string): Promise<PurchaseAnswer> {
  if (p.fingerprint !== fingerprint) {
    throw new DomainError('idempotency_key_reused', 'This idempotency key was used for another request', {
      details: { purchase_id: p.public_id },
    });
  }
  const order = (await findOrder(ctx.db, p.order_id!))!;
  const b = { ...p, order_id: order.id, payment_id: order.payment_id, amount: order.amount };
  const first = Object.keys(order.response).length > 0 ? (order.response as unknown as OrderView) : undefined;
  if (!OPEN_STATES.includes(order.state)) {
    return { status: 200, purchase: answerOf(b, first ?? viewOf(order)), replayed: true };
  }
  // Open: nothing says whether the provider heard of it (the first registration may have failed, or the process
  // died after commit), so it is registered again; both providers accept the same request again.
  const req = checkoutRequestOf(order, returnUrlOf(ctx, p));
  await prepareCheckout(ctx.payment!, order.id, req);
  const view = first ?? viewOf(order, ctx.payment!.provider.checkoutUrl(req));
  return { status: 200, purchase: answerOf(b, view), replayed: true };
}

async function refuseSecond(trx: Trx | Db, campaignId: string, identityId: string): Promise<never> {
  const live = await findLivePurchase(trx, campaignId, identityId);
  if (!live) throw new DomainError('campaign_closed', 'The sale is not open');
  throw new DomainError('already_purchased', 'You already have a purchase in this sale', {
    details: { purchase_id: live.public_id },
  });
}

/** Every row with stock, largest first; sold out when together they hold less than asked. */
async function takeFromRowsWithStock(trx: Trx, campaignId: string, quantity: number) {
  const rows = await lockRowsWithStock(trx, campaignId);
  const plan = planTakes(
    [...rows].sort((a, b) => b.remaining - a.remaining),
    quantity,
  );
  if (!plan)
    throw new DomainError('sold_out', NOT_ENOUGH_LEFT, {
      details: { left: rows.reduce((s, r) => s + r.remaining, 0) },
    });
  for (const t of plan) await takeExactly(trx, campaignId, t.shard, t.quantity);
  return plan;
}

/** Where the provider sends the buyer back: their place in the sale. */
function returnUrlOf(ctx: InstantContext, o: { campaign_id: string; public_id: string }) {
  return `${ctx.publicUrl}/campaigns/${o.campaign_id}/queue/return?purchase=${encodeURIComponent(o.public_id)}`;
}

function answerOf(
  b: Pick<HomeRowBuy, 'public_id' | 'quantity' | 'amount' | 'hold_expires_at'>,
  view: OrderView,
) {
  return {
    id: b.public_id,
    quantity: b.quantity,
    amount: b.amount,
    hold_expires_at: b.hold_expires_at.toISOString(),
    order: view,
  };
}
