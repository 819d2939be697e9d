// The resident's side of paying for a voucher award: "pay" (a form on the winner's page, or the JSON API with an
// Idempotency-Key header), the provider's return to us (confirmed on the server before anything is shown), and
// the orders of the signed-in resident.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { confirmPayment } from '../../../commands/payments/confirmPayment.js';
import type { PaymentContext } from '../../../commands/payments/context.js';
import { createAwardOrder, viewOf } from '../../../commands/payments/createAwardOrder.js';
import { findOrder, ordersOfSubject, publicIdOfIdentity } from '../../../db/repos/orders.js';
import { vouchersOfOrder } from '../../../db/repos/vouchers.js';
import { DomainError } from '../../../domain/errors.js';
import { OPEN_STATES } from '../../../domain/payments/order.js';
import type { AppDeps } from '../../deps.js';
import { checkResidentCsrf, readResident, requireResident } from '../../middleware/residentAuth.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import { orderBodySchema } from './schema.js';

/** The payment use cases' context, ready from src/compose.ts; refused where the service takes no payments. */
export function paymentOf(deps: AppDeps): PaymentContext {
  if (!deps.payment) throw new DomainError('payment_unavailable', 'Payments are not set up on this service');
  return deps.payment;
}

async function publicIdFor(deps: AppDeps, campaignId: string, identityId: string): Promise<string> {
  const publicId = await publicIdOfIdentity(deps.db, campaignId, identityId);
  if (!publicId) throw new DomainError('award_not_payable', 'You have no application in this campaign');
  return publicId;
}

const returnUrl = (deps: AppDeps) => (orderId: string) =>
  `${deps.config.publicUrl}/payments/return/${orderId}`;

export function paymentResidentRoutes(router: Router, deps: AppDeps): void {
  // The form on the winner's page: create (or replay) the order and go to the checkout.
  router.post('/campaigns/:id/award/pay', async (ctx) => {
    const campaignId = parseId(ctx.params.id);
    const page = `/campaigns/${campaignId}/application`;
    const who = await readResident(ctx, deps);
    if (!who) return ctx.redirect(`/campaigns/${campaignId}/apply`);
    checkResidentCsrf(ctx, deps);
    const b = parse(orderBodySchema, bodyOf(ctx));
    try {
      const answer = await createAwardOrder(
        paymentOf(deps),
        { campaign_id: campaignId, public_id: await publicIdFor(deps, campaignId, who.claims.sub), ...b },
        returnUrl(deps),
      );
      ctx.status = 303;
      ctx.redirect(answer.order.checkout_url ?? `${page}#purchase`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.code === 'order_already_open') return redirectTo(ctx, `${page}?pay=open#purchase`);
      if (err.code === 'payment_unavailable') return redirectTo(ctx, `${page}?pay=unavailable#purchase`);
      throw err;
    }
  });

  // The provider sends the browser back here. The answer comes from the provider, not from the query string.
  router.get('/payments/return/:orderId', async (ctx) => {
    const order = await findOrder(deps.db, parseId(ctx.params.orderId, 'order'));
    if (!order) throw new DomainError('not_found', 'No such order');
    const r = await confirmPayment(paymentOf(deps), order, 'return');
    const lang = ctx.state.lang === 'en' ? '&lang=en' : '';
    // Back without a failure (the checkout's `code`) while the provider did not answer: the resident may well have
    // paid, and the page says the payment is being checked rather than "not paid yet". Words only: the order is
    // settled by the provider's answer alone.
    const checking = !r.answered && !ctx.query.code && OPEN_STATES.includes(r.order.state);
    const pay = checking ? 'checking' : r.order.state;
    redirectTo(ctx, `/campaigns/${order.campaign_id}/application?pay=${pay}${lang}#purchase`);
  });

  const must = requireResident(deps);
  router.post('/api/campaigns/:id/award/orders', must, async (ctx) => {
    const campaignId = parseId(ctx.params.id);
    const who = await readResident(ctx, deps);
    if (who?.viaCookie) checkResidentCsrf(ctx, deps);
    const body = {
      ...bodyOf(ctx),
      idempotency_key: ctx.get('idempotency-key') || undefined,
    };
    const b = parse(orderBodySchema, body);
    const answer = await createAwardOrder(
      paymentOf(deps),
      { campaign_id: campaignId, public_id: await publicIdFor(deps, campaignId, who!.claims.sub), ...b },
      returnUrl(deps),
    );
    if (answer.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = answer.status;
    ctx.body = { order: answer.order };
  });

  router.get('/api/campaigns/:id/award/orders', must, async (ctx) => {
    const campaignId = parseId(ctx.params.id);
    const who = await readResident(ctx, deps);
    const publicId = await publicIdFor(deps, campaignId, who!.claims.sub);
    const orders = await ordersOfSubject(deps.db, campaignId, publicId);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      orders: await Promise.all(
        orders.map(async (o) => ({
          ...viewOf(o),
          vouchers: o.state === 'issued' ? await vouchersOfOrder(deps.db, o.id) : [],
        })),
      ),
    };
  });

  // For API clients that return from the checkout themselves: confirm with the provider now.
  router.post('/api/payments/orders/:orderId/confirm', must, async (ctx) => {
    const who = await readResident(ctx, deps);
    if (who?.viaCookie) checkResidentCsrf(ctx, deps);
    const order = await findOrder(deps.db, parseId(ctx.params.orderId, 'order'));
    const mine =
      order && (await publicIdOfIdentity(deps.db, order.campaign_id, who!.claims.sub)) === order.subject;
    if (!order || !mine) throw new DomainError('not_found', 'No such order');
    const r = await confirmPayment(paymentOf(deps), order, 'return');
    ctx.status = r.answered ? 200 : 202;
    ctx.body = { order: viewOf(r.order), provider_answered: r.answered };
  });
}

function redirectTo(ctx: Context, url: string) {
  ctx.status = 303;
  ctx.redirect(url);
}
