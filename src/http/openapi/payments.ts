// Payments (routes/payments/*.ts): a winner's award order and its confirmation, the admin's summary and CSV,
// and the provider's webhook.
import { z } from 'zod';
import { orderBodySchema } from '../routes/payments/schema.js';
import type { Operations } from './operation.js';

/**
 * Only a description: the provider's SDK checks the signature over the raw bytes and reads `type` and
 * `data.paymentId` itself (payments/devProvider.ts, payments/portone.ts); the order is settled from the
 * provider's own answer, never from this body.
 */
const webhookEvent = z
  .object({ type: z.string(), data: z.object({ paymentId: z.string() }).loose() })
  .loose();

export const paymentOperations: Operations = {
  '/api/campaigns/{id}/award/orders': {
    post: {
      summary:
        'Order the vouchers of your award (the idempotency key may come as the Idempotency-Key header); ' +
        'pay at checkout_url',
      tag: 'payments',
      caller: 'resident',
      headers: { 'Idempotency-Key': 'instead of idempotency_key in the body' },
      body: orderBodySchema,
      ok: {
        status: 201,
        description: '{ order }',
        also: { 200: 'A replay of the same key (Idempotent-Replayed: true)' },
      },
      errors: ['award_not_payable', 'order_already_open', 'idempotency_key_reused', 'payment_unavailable'],
    },
    get: {
      summary: 'Your orders for this award, with the vouchers issued',
      tag: 'payments',
      caller: 'resident',
      ok: { status: 200, description: '{ orders: [...] }' },
      errors: ['award_not_payable'],
    },
  },
  '/api/payments/orders/{orderId}/confirm': {
    post: {
      summary:
        'Back from the checkout: confirm the payment with the provider now (one already recorded is answered as it stands)',
      tag: 'payments',
      caller: 'resident',
      ok: {
        status: 200,
        description: '{ order, provider_answered: true }',
        also: { 202: 'The provider did not answer yet; the reconciler will settle it' },
      },
      errors: ['payment_unavailable'],
    },
  },
  '/api/admin/campaigns/{id}/payments': {
    get: {
      summary: "A campaign's payments: orders per state, the sum paid, refunds, vouchers, latest orders",
      tag: 'payments',
      caller: 'staff',
      ok: { status: 200, description: 'The payment summary' },
      errors: [],
    },
  },
  '/api/admin/campaigns/{id}/orders.csv': {
    get: {
      summary: "Every order, as CSV for the city's accounting",
      tag: 'payments',
      caller: 'staff',
      ok: { status: 200, description: 'One row per order', type: 'text/csv' },
      errors: [],
    },
  },
};

/** The webhook is served at the configured provider's own path, so the document names that one. */
export function paymentWebhookOperations(provider: string | undefined): Operations {
  if (!provider) return {};
  return {
    [`/webhooks/payments/${provider}`]: {
      post: {
        summary: 'A payment event from the provider (signed); the order is settled from its own answer',
        tag: 'webhooks',
        caller: 'payment_provider',
        headers: { 'webhook-id': 'the event id', 'webhook-timestamp': 'seconds since 1970' },
        body: webhookEvent,
        ok: {
          status: 200,
          description: '{ received, duplicate, order_state }',
          also: { 503: 'Not settled yet (the provider did not answer); deliver again' },
        },
        errors: [],
      },
    },
  };
}
