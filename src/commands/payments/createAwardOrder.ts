// "Pay" on a won voucher award: an order whose price the server computes from the campaign's rules, once per
// idempotency key (the first answer is replayed; the key with another request is refused), one live order per
// award (a unique index, not a read), registered with the provider, then the browser goes to its checkout.
import { createHash, randomUUID } from 'node:crypto';
import type { OrderRow } from '../../db/repos/orders.js';
import { DomainError } from '../../domain/errors.js';
import { orderName } from '../../domain/payments/order.js';
import { type CheckoutRequest, ProviderUnavailable } from '../../payments/provider.js';
import type { AwardOrderInput } from './awardOrderDecision.js';
import { answerOf } from './awardOrderWrites.js';
import type { OrderView, PaymentContext } from './context.js';

export { type AwardOrderInput, viewOf } from './awardOrderDecision.js';

export interface OrderAnswer {
  status: 200 | 201;
  order: OrderView;
  replayed: boolean;
}

const hashOf = (i: AwardOrderInput, face: number) =>
  createHash('sha256')
    .update(JSON.stringify([i.campaign_id, i.public_id, face]))
    .digest('hex');

/** The order made in a transaction shared with the award orders that arrive with it (awardOrderWrites.ts). */
export async function createAwardOrder(
  ctx: PaymentContext,
  input: AwardOrderInput,
  returnUrl: (orderId: string) => string,
): Promise<OrderAnswer> {
  const answer = answerOf(
    await ctx.awardOrders({
      kind: 'create',
      input,
      now: ctx.clock.now(),
      id: randomUUID(),
      hashOf: (face) => hashOf(input, face),
      provider: ctx.provider.name,
    }),
  );
  if (!('made' in answer)) throw new Error('a creation was answered with a view');
  const made = answer.made;
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
    orderName: orderName(order.face_value, 'ko'),
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

/**
 * Registers the order with the provider and moves it to pending, in a transaction shared with the award orders'
 * writes that arrive with it; the answer is kept for replays.
 */
export async function openCheckout(
  ctx: PaymentContext,
  order: OrderRow,
  returnUrl: string,
): Promise<OrderView> {
  const req = checkoutRequestOf(order, returnUrl);
  await prepareCheckout(ctx, order.id, req);
  const url = ctx.provider.checkoutUrl(req);
  const answer = answerOf(
    await ctx.awardOrders({ kind: 'pending', order, url, provider: ctx.provider.name }),
  );
  if (!('view' in answer)) throw new Error('a move to pending was answered with an order');
  return answer.view;
}
