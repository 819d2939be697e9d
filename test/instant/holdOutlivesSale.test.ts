// A hold that outlives its sale's claim window (a purchase in the last minute, a window that ends soon after):
// the pass still ends it when it runs out, or marks it paid, after the sale has finished.
import test from 'ava';
import { TURN_NOTICE_AFTER_MS } from '../../src/domain/instant/waitingRoom.js';
import { type Buyer, buyAtTurn, instantWorld, payAtCheckout, queuedSale } from '../helpers/instant.js';

test('after the sale finished, an unpaid hold still runs out and a paid one is marked paid', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const {
    c,
    people: [paying, walking],
  } = await queuedSale(app, 2);
  await tick();
  const buy = async (p: Buyer) => {
    const r = await buyAtTurn(app, c.id, p, `k-${p.identity_id}`);
    t.is(r.status, 201, r.text);
    return r.json.purchase;
  };
  const paid = await buy(paying!);
  const walked = await buy(walking!);
  // The sale's windows all end while both still hold: it has finished, as the reconciler moves it.
  await app.db.raw(
    `UPDATE campaigns SET state = 'finished', opens_at = now() - interval '4 seconds',
       closes_at = now() - interval '3 seconds',
       draw_at = now() - interval '3 seconds', claim_opens_at = now() - interval '2 seconds',
       claim_closes_at = now() - interval '1 second' WHERE id = ?`,
    [c.id],
  );
  await payAtCheckout(app, paid.order.checkout_url);
  app.clock.advance(TURN_NOTICE_AFTER_MS);
  await tick();
  const purchase = (p: Buyer) => app.db('instant_purchases').where({ identity_id: p.identity_id }).first();
  t.is((await purchase(paying!)).state, 'paid');
  t.is((await purchase(walking!)).state, 'held', 'its hold has not run out yet');
  app.clock.advance(601_000);
  await tick();
  t.like(await purchase(walking!), { state: 'released', release_reason: 'hold_expired' });
  t.is((await app.db('orders').where({ id: walked.order.id }).first()).state, 'expired');
  const stock = await app.db('instant_stock').where({ campaign_id: c.id }).sum('remaining as r').first();
  t.is(Number(stock!.r), 4 * 10_000, 'sold + remaining = initial: the unpaid unit came back');
});
