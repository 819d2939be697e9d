// Payment webhooks: /webhooks/payments/<provider>. The signature is checked over the raw body before anything
// is stored (403 otherwise); the order is then settled from the provider's own answer.
import type Router from '@koa/router';
import { receivePaymentWebhook } from '../../../commands/payments/confirmPayment.js';
import type { AppDeps } from '../../deps.js';
import { paymentOf } from './resident.js';

export function paymentWebhookRoutes(router: Router, deps: AppDeps): void {
  if (!deps.payments) return;
  router.post(`/webhooks/payments/${deps.payments.provider.name}`, async (ctx) => {
    const raw = (ctx.request as { rawBody?: string }).rawBody ?? '';
    const r = await receivePaymentWebhook(paymentOf(deps), raw, ctx.headers);
    // The provider retries a delivery we could not settle yet (its lookup timed out); the reconciler also will.
    ctx.status = r.answered ? 200 : 503;
    ctx.body = { received: true, duplicate: !r.first, order_state: r.order?.state ?? null };
  });
}
