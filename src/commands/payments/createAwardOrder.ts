// "Pay" on a won voucher award: an order whose price the server computes from the campaign's rules, once per
// idempotency key (the first answer is replayed; the key with another request is refused), one live order per
// award (a unique index, not a read), registered with the provider, then the browser goes to its checkout.
import { createHash, randomUUID } from 'node:crypto';
import { appendAudit } from '../../audit/log.js';
import type { AwardRow } from '../../db/repos/awards.js';
import { lockAward } from '../../db/repos/awards.js';
import { findCampaign } from '../../db/repos/campaigns.js';
import {
  findLiveOrder,
  findOrderByKey,
  insertOrder,
  moveOrder,
  type OrderRow,
  setOrderResponse,
} from '../../db/repos/orders.js';
import { inTransaction } from '../../db/transaction.js';
import { DomainError } from '../../domain/errors.js';
import { holdUntil, priceOf } from '../../domain/payments/order.js';
import { type CheckoutRequest, ProviderUnavailable } from '../../payments/provider.js';
import { heldOf } from '../awardNotices.js';
import type { OrderView, PaymentContext } from './context.js';
import { type VoucherCampaign, voucherUnitOf } from './rules.js';

export interface AwardOrderInput {
  campaign_id: string;
  /** the award's public id (the signed-in resident's own) */
  public_id: string;
  idempotency_key: string;
  /** KRW of vouchers to buy; the whole award when absent */
  face_value?: number | undefined;
}

export interface OrderAnswer {
  status: 200 | 201;
  order: OrderView;
  replayed: boolean;
}

const hashOf = (i: AwardOrderInput, face: number) =>
  createHash('sha256')
    .update(JSON.stringify([i.campaign_id, i.public_id, face]))
    .digest('hex');

export function viewOf(o: OrderRow, checkoutUrl?: string): OrderView {
  return {
    id: o.id,
    state: o.state,
    face_value: o.face_value,
    amount: o.amount,
    currency: o.currency,
    expires_at: o.expires_at.toISOString(),
    ...(checkoutUrl ? { checkout_url: checkoutUrl } : {}),
  };
}

function payable(c: VoucherCampaign, a: AwardRow | undefined, now: Date): asserts a is AwardRow {
  if (c.kind !== 'voucher') throw new DomainError('award_not_payable', 'Only voucher awards are paid for');
  if (!a || (a.status !== 'won' && a.status !== 'promoted')) {
    throw new DomainError('award_not_payable', 'There is no award to pay for', {
      details: { status: a?.status ?? 'none' },
    });
  }
  if (now < c.claim_opens_at)
    throw new DomainError('award_not_payable', 'Payment opens with the claim window');
  if (a.claim_deadline && a.claim_deadline <= now) {
    throw new DomainError('award_not_payable', 'The time to pay for this award has passed');
  }
}

export async function createAwardOrder(
  ctx: PaymentContext,
  input: AwardOrderInput,
  returnUrl: (orderId: string) => string,
): Promise<OrderAnswer> {
  const now = ctx.clock.now();
  const made = await inTransaction(ctx.db, async (trx) => {
    const c = (await findCampaign(trx, input.campaign_id)) as VoucherCampaign | undefined;
    if (!c) throw new DomainError('not_found', 'No such campaign');
    const award = await lockAward(trx, input.campaign_id, input.public_id);
    const held = award ? heldOf(award) : undefined;
    const face = input.face_value ?? held?.amount ?? 0;
    const hash = hashOf(input, face);
    const earlier = await findOrderByKey(trx, input.campaign_id, input.public_id, input.idempotency_key);
    if (earlier) {
      if (earlier.request_hash !== hash) {
        throw new DomainError('idempotency_key_reused', 'This idempotency key was used for another request', {
          details: { order_id: earlier.id },
        });
      }
      return { order: earlier, replayed: true };
    }
    payable(c, award, now);
    const unit = voucherUnitOf(c);
    if (face < unit || face > heldOf(award).amount || face % unit !== 0) {
      throw new DomainError('validation_failed', 'Some fields are not valid', {
        fields: { face_value: `Choose a multiple of ${unit} KRW up to ${heldOf(award).amount} KRW` },
      });
    }
    const id = randomUUID();
    const order = await insertOrder(trx, {
      id,
      payment_id: `fa-${id}`,
      purpose: 'voucher_award',
      campaign_id: c.id,
      subject: input.public_id,
      idempotency_key: input.idempotency_key,
      request_hash: hash,
      face_value: face,
      amount: priceOf({ face_value: face, discount_bp: c.discount_bp }),
      provider: ctx.provider.name,
      expires_at: holdUntil(now, c.checkout_minutes, award.claim_deadline),
      created_at: now,
    });
    if (!order) {
      const live = await findLiveOrder(trx, 'voucher_award', c.id, input.public_id);
      throw new DomainError('order_already_open', 'This award already has an order', {
        details: { order_id: live?.id, state: live?.state },
      });
    }
    await appendAudit(trx, {
      at: now,
      actor: `resident:${input.public_id}`,
      action: 'order.created',
      subject: `campaign:${c.id}`,
      data: { order_id: order.id, public_id: input.public_id, face_value: face, amount: order.amount },
    });
    return { order, replayed: false, title: c.title_ko };
  });
  if (made.replayed && made.order.response && Object.keys(made.order.response).length > 0) {
    // The first answer, as it was given.
    return { status: 201, order: made.order.response as unknown as OrderView, replayed: true };
  }
  return {
    status: 201,
    order: await openCheckout(ctx, made.order, returnUrl(made.order.id)),
    replayed: made.replayed,
  };
}

/** What the provider is told about an order, and what its checkout's address is computed from. */
export function checkoutRequestOf(
  order: Pick<OrderRow, 'payment_id' | 'face_value' | 'amount'>,
  returnUrl: string,
): CheckoutRequest {
  return {
    paymentId: order.payment_id,
    orderName: `상품권 ${order.face_value.toLocaleString('ko-KR')}원`,
    amount: order.amount,
    currency: 'KRW',
    returnUrl,
  };
}

/** Tells the provider to expect the payment; safe to repeat (both providers accept the same request again). */
export async function prepareCheckout(
  ctx: PaymentContext,
  orderId: string,
  req: CheckoutRequest,
): Promise<void> {
  try {
    await ctx.provider.prepare(req);
  } catch (err) {
    if (!(err instanceof ProviderUnavailable)) throw err;
    throw new DomainError(
      'payment_unavailable',
      'The payment service did not answer; try again in a moment',
      {
        details: { order_id: orderId },
      },
    );
  }
}

/** Registers the order with the provider and moves it to pending; the answer is kept for replays. */
export async function openCheckout(
  ctx: PaymentContext,
  order: OrderRow,
  returnUrl: string,
): Promise<OrderView> {
  const req = checkoutRequestOf(order, returnUrl);
  await prepareCheckout(ctx, order.id, req);
  const url = ctx.provider.checkoutUrl(req);
  return inTransaction(ctx.db, async (trx) => {
    const now = ctx.clock.now();
    const moved = await moveOrder(trx, order.id, 'created', 'pending', { pending_at: now, updated_at: now });
    if (moved) {
      await appendAudit(trx, {
        at: now,
        actor: `resident:${order.subject}`,
        action: 'order.pending',
        subject: `campaign:${order.campaign_id}`,
        data: { order_id: order.id, provider: ctx.provider.name },
      });
    }
    const view = viewOf(moved ?? order, url);
    if (moved) await setOrderResponse(trx, order.id, view as unknown as Record<string, unknown>);
    return view;
  });
}
