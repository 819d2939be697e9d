// The browser came back from the checkout, or a webhook said "look again": ask the provider (never the
// browser) what happened, and settle the order with that answer. A provider that does not answer leaves the
// order as it is; the reconciler asks again later. An order whose payment is already recorded (the webhook or
// the return settled it first) is not asked about again: no answer could move it.
import { findOrderByPaymentId, type OrderRow } from '../../db/repos/orders.js';
import { recordPaymentWebhook } from '../../db/repos/paymentWebhooks.js';
import { DomainError } from '../../domain/errors.js';
import { awaitsProvider } from '../../domain/payments/order.js';
import { ProviderUnavailable, WebhookRejected } from '../../payments/provider.js';
import type { PaymentContext } from './context.js';
import { recordReceipt, type SettleSource, settleOrder } from './settleOrder.js';

export interface Confirmed {
  order: OrderRow;
  /** false when the provider did not answer in time (checked again later); true when its payment was recorded already */
  answered: boolean;
}

export async function confirmPayment(
  ctx: PaymentContext,
  order: OrderRow,
  source: SettleSource = 'return',
): Promise<Confirmed> {
  if (!awaitsProvider(order)) return { order, answered: true };
  try {
    const view = await ctx.provider.lookup(order.payment_id);
    return { order: await settleOrder(ctx, order.id, view, source), answered: true };
  } catch (err) {
    if (!(err instanceof ProviderUnavailable)) throw err;
    return { order, answered: false };
  }
}

export interface WebhookResult {
  /** false: the same delivery was seen before */
  first: boolean;
  order?: OrderRow;
  answered: boolean;
}

/**
 * A provider's webhook: the signature is checked before anything is stored (a bad one is 403 and leaves no
 * trace), the delivery is kept once by its id, and the order is settled from a fresh lookup, so a late, doubled
 * or out-of-order webhook cannot move an order anywhere the provider's current answer does not justify.
 */
export async function receivePaymentWebhook(
  ctx: PaymentContext,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
): Promise<WebhookResult> {
  let notice: Awaited<ReturnType<PaymentContext['provider']['verifyWebhook']>>;
  try {
    notice = await ctx.provider.verifyWebhook(rawBody, headers);
  } catch (err) {
    if (err instanceof WebhookRejected)
      throw new DomainError('invalid_signature', 'The webhook signature does not match');
    throw err;
  }
  const now = ctx.clock.now();
  const first =
    (await recordPaymentWebhook(ctx.db, {
      provider: ctx.provider.name,
      webhook_id: notice.webhookId,
      type: notice.type,
      payment_id: notice.paymentId ?? null,
      body: notice.body,
      received_at: now,
    })) === 1;
  if (!notice.paymentId) return { first, answered: true };
  const order = await findOrderByPaymentId(ctx.db, notice.paymentId);
  if (!order) return { first, answered: true };
  if (first) {
    await recordReceipt(ctx, {
      at: now,
      actor: `system:payments-webhook`,
      action: 'order.webhook_received',
      subject: `campaign:${order.campaign_id}`,
      data: { order_id: order.id, type: notice.type, webhook_id: notice.webhookId },
    });
  }
  const r = await confirmPayment(ctx, order, 'webhook');
  return { first, order: r.order, answered: r.answered };
}
