// An instant order is written pending, with its answer, in the purchase's commit; the provider is told after it.
// When that telling fails or never happens, nothing is lost or sold twice: a replay registers the checkout again,
// and an order the provider never heard of ends with its hold, which gives its stock back.
import test from 'ava';
import type { InstantContext } from '../../src/commands/instant/context.js';
import { purchase } from '../../src/commands/instant/purchase.js';
import { reconcileOrders } from '../../src/commands/payments/reconcileOrders.js';
import { DomainError } from '../../src/domain/errors.js';
import { nextCheckDelayMs } from '../../src/domain/payments/order.js';
import { derivedKey } from '../../src/payments/fromConfig.js';
import { devIssuer } from '../../src/payments/issuer.js';
import { type CheckoutRequest, ProviderUnavailable } from '../../src/payments/provider.js';
import { TEST_SECRETS } from '../helpers/app.js';
import { instantWorld, turnToBuy } from '../helpers/instant.js';

const UNIT = 10_000;

/** The world's context with its provider's prepare replaced: `prepare` decides what each registration does. */
function withPrepare(ctx: InstantContext, prepare: (req: CheckoutRequest) => Promise<void>): InstantContext {
  const provider = { ...ctx.payment!.provider, prepare };
  return { ...ctx, payment: { ...ctx.payment!, provider } };
}

async function stockLeft(w: Awaited<ReturnType<typeof instantWorld>>, campaignId: string) {
  const r = await w.app.db('instant_stock').where({ campaign_id: campaignId }).sum('remaining as r').first();
  return Number(r!.r);
}

test('a registration the provider did not answer: the order is pending and held; a replay registers it and answers', async (t) => {
  const w = await instantWorld();
  t.teardown(() => w.app.close());
  const { app, ctx } = w;
  const { campaignId, identityId, headers, input } = await turnToBuy(w, 3, 'unanswered-0001');
  const registered: string[] = [];
  const real = ctx.payment!.provider;
  let answering = false;
  const flaky = withPrepare(ctx, async (req) => {
    if (!answering) throw new ProviderUnavailable('prepare: no answer in 5000 ms');
    registered.push(req.paymentId);
    await real.prepare(req);
  });

  const refused = await t.throwsAsync(purchase(flaky, identityId, input), { instanceOf: DomainError });
  t.is(refused.code, 'payment_unavailable');
  const order = await app.db('orders').where({ campaign_id: campaignId }).first();
  t.is(order.state, 'pending', 'written pending in the purchase commit, not created');
  t.deepEqual(order.pending_at, app.clock.now());
  t.deepEqual(order.next_check_at, new Date(app.clock.now().getTime() + nextCheckDelayMs(0)));
  t.is(order.response.checkout_url, real.checkoutUrl({ paymentId: order.payment_id } as CheckoutRequest));
  t.is(
    await w.app.deps.payments!.devCheckout!.find(order.payment_id),
    undefined,
    'the provider never heard of it',
  );
  t.is(await stockLeft(w, campaignId), 2 * UNIT, 'its unit is held, not sold twice');

  answering = true;
  const again = await purchase(flaky, identityId, input);
  t.true(again.replayed);
  t.is(again.status, 200);
  t.deepEqual(registered, [order.payment_id], 'the replay registered the checkout');
  t.deepEqual(again.purchase.order, order.response, 'and answered what the order kept');
  t.is((await w.app.deps.payments!.devCheckout!.find(order.payment_id))?.status, 'READY');
  // The buyer's page in the sale offers the same checkout (from the order's answer).
  const page = await app.request('GET', `/campaigns/${campaignId}/queue`, { headers });
  t.true(page.text.includes(`href="${order.response.checkout_url}"`), page.text);
  // An open order is registered on every replay (the same request again, accepted as such); a closed one is not.
  await purchase(flaky, identityId, input);
  t.is(registered.length, 2);
  await app.db('orders').where({ id: order.id }).update({ state: 'expired', expired_at: app.clock.now() });
  const closed = await purchase(flaky, identityId, input);
  t.is(registered.length, 2);
  t.deepEqual(closed.purchase.order, order.response, 'the first answer, as it was given');
  t.is(await stockLeft(w, campaignId), 2 * UNIT);
});

test('the process dies after commit, before registering: the order waits out its hold, then expires and its stock goes back', async (t) => {
  const w = await instantWorld();
  t.teardown(() => w.app.close());
  const { app, ctx, tick } = w;
  const { campaignId, identityId, input } = await turnToBuy(w, 2, 'crashed-00001');
  // The commit happened; the registration never runs (an error that is not the provider's: the process ends).
  const dying = withPrepare(ctx, () => Promise.reject(new Error('process died')));
  await t.throwsAsync(purchase(dying, identityId, input), { message: 'process died' });
  const order = await app.db('orders').where({ campaign_id: campaignId }).first();
  t.is(order.state, 'pending');
  t.is(await stockLeft(w, campaignId), UNIT);

  const payments = { ...ctx.payment!, issuer: devIssuer(derivedKey(TEST_SECRETS.dataKey, 'issuer')) };
  // Its first check: the provider knows no such payment. That alone does not end it: PortOne may not show a
  // pre-registered payment before the buyer starts it, so "unknown" is not "never registered".
  app.clock.advance(nextCheckDelayMs(0));
  const looked = await reconcileOrders(payments);
  t.is(looked.checked, 1);
  t.is(looked.expired, 0);
  t.is((await app.db('orders').where({ id: order.id }).first()).state, 'pending');
  await tick();
  t.is(await stockLeft(w, campaignId), UNIT, 'still held while the hold runs');

  // The hold's end: the reconciler expires the order and the sale's pass gives the unit back, once.
  app.clock.advance(600_000);
  const ended = await reconcileOrders(payments);
  t.is(ended.expired, 1);
  t.is((await app.db('orders').where({ id: order.id }).first()).state, 'expired');
  await tick();
  const held = await app.db('instant_purchases').where({ order_id: order.id }).first();
  t.is(held.state, 'released');
  t.is(held.release_reason, 'order_expired');
  t.is(await stockLeft(w, campaignId), 2 * UNIT, 'sold + remaining = initial');
  await tick();
  t.is(await stockLeft(w, campaignId), 2 * UNIT, 'given back once');
});
