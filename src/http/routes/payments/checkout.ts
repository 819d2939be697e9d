// Checkout pages. The development provider's own page (not in production): pay, decline or cancel, then back
// to the service. PortOne's: our page that opens PortOne's browser checkout for a pre-registered payment.
import type Router from '@koa/router';
import { z } from 'zod';
import { findOrderByPaymentId } from '../../../db/repos/orders.js';
import { DomainError } from '../../../domain/errors.js';
import { orderName } from '../../../domain/payments/order.js';
import type { AppDeps } from '../../deps.js';
import { render } from '../../render.js';
import { bodyOf, parse } from '../../validate.js';

const choiceSchema = z.object({ choice: z.enum(['pay', 'decline', 'cancel']) });
const PAYMENT_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function checkoutRoutes(router: Router, deps: AppDeps): void {
  const dev = deps.payments?.devCheckout;
  if (dev && !deps.config.isProduction) {
    const load = async (id: string | undefined) => {
      const p = id && PAYMENT_ID.test(id) ? await dev.find(id) : undefined;
      if (!p) throw new DomainError('not_found', 'No such payment');
      return p;
    };
    router.get('/dev/checkout/:paymentId', async (ctx) => {
      const payment = await load(ctx.params.paymentId);
      // The provider's record keeps the Korean name; this page, in the reader's language, names the order in it.
      const order = await findOrderByPaymentId(deps.db, payment.payment_id);
      const name = order
        ? orderName(order.face_value, ctx.state.lang === 'en' ? 'en' : 'ko')
        : payment.order_name;
      render(ctx, 'dev-checkout', {
        payment: { ...payment, order_name: name },
        title: ctx.state.t('pay.dev.title'),
      });
    });
    // A provider's page: no session of ours, so no CSRF token; the only effect is on this one payment.
    router.post('/dev/checkout/:paymentId', async (ctx) => {
      const payment = await load(ctx.params.paymentId);
      const { choice } = parse(choiceSchema, bodyOf(ctx));
      ctx.status = 303;
      ctx.redirect(await dev.complete(payment.payment_id, choice));
    });
  }
  const portOne = deps.payments?.portOne;
  if (portOne) {
    router.get('/payments/portone/checkout/:paymentId', async (ctx) => {
      const id = String(ctx.params.paymentId);
      const order = PAYMENT_ID.test(id) ? await findOrderByPaymentId(deps.db, id) : undefined;
      if (!order || (order.state !== 'created' && order.state !== 'pending')) {
        throw new DomainError('not_found', 'No such payment to make');
      }
      // PortOne's browser SDK comes from its CDN and opens its own windows.
      ctx.state.csp =
        "default-src 'self'; script-src 'self' https://cdn.portone.io; connect-src 'self' https://*.portone.io; " +
        "frame-src https://*.portone.io https:; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
      render(ctx, 'portone-checkout', {
        title: ctx.state.t('pay.portone.title'),
        checkout: {
          storeId: portOne.storeId,
          channelKey: portOne.channelKey,
          paymentId: order.payment_id,
          // what PortOne records for the payment and its card company's window shows: the one Korean name
          orderName: orderName(order.face_value, 'ko'),
          totalAmount: order.amount,
          redirectUrl: `${deps.config.publicUrl}/payments/return/${order.id}`,
        },
      });
    });
  }
}
