// An instant sale cancelled while buyers hold its stock: what was paid stands and is issued; a hold not yet paid
// ends at the next pass, its order cancelled and its stock back, and a payment that still comes is refunded;
// everyone else's place says the sale was cancelled, and a turn's token buys nothing any more.
import test from 'ava';
import { liveInstantCampaigns } from '../../src/db/repos/instantRooms.js';
import { TURN_NOTICE_AFTER_MS } from '../../src/domain/instant/waitingRoom.js';
import { type Buyer, buyers, instantWorld, queuedSale, scheduledSale } from '../helpers/instant.js';

const UNIT = 10_000;

test('a sale cancelled with a paid purchase, an unpaid hold and a turn not yet used', async (t) => {
  const { app, tick, issue } = await instantWorld();
  t.teardown(() => app.close());
  const admin = await app.staff('admin');
  const {
    c,
    people: [paying, holding, turned],
  } = await queuedSale(app, 3);
  await tick();
  const look = async (p: Buyer) =>
    (await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: p.headers })).json.queue;
  const buy = (p: Buyer, token: string) =>
    app.request('POST', `/api/campaigns/${c.id}/purchases`, {
      headers: { ...p.headers, 'idempotency-key': `k-${p.identity_id}`, 'x-admission-token': token },
      json: { quantity: UNIT },
    });
  /** Through the development checkout and back to the service, as a buyer's browser goes. */
  const pay = async (checkoutUrl: string) => {
    const chosen = await app.request('POST', new URL(checkoutUrl).pathname, { form: { choice: 'pay' } });
    const back = new URL(chosen.headers.get('location')!, app.url);
    await app.request('GET', back.pathname + back.search);
  };
  const paid = (await buy(paying!, (await look(paying!)).admission_token)).json.purchase;
  const held = (await buy(holding!, (await look(holding!)).admission_token)).json.purchase;
  const turn = await look(turned!);
  t.is(turn.state, 'your_turn');
  await pay(paid.order.checkout_url);
  await tick();
  t.is(await issue(paid.order.id), 'issued');
  app.clock.advance(TURN_NOTICE_AFTER_MS);
  await tick(); // the turn still unused is told, by a notice queued to go

  const cancelled = await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, {
    as: admin,
    json: { reason: 'price set wrong' },
  });
  t.is(cancelled.status, 200, cancelled.text);
  await tick();

  const purchase = (p: Buyer) => app.db('instant_purchases').where({ identity_id: p.identity_id }).first();
  const order = (id: string) => app.db('orders').where({ id }).first();
  // The paid purchase stands, its vouchers issued; the unpaid hold ended with the sale, its order cancelled.
  t.is((await purchase(paying!)).state, 'paid');
  t.is((await order(paid.order.id)).state, 'issued');
  const ended = await purchase(holding!);
  t.like(ended, { state: 'released', release_reason: 'sale_cancelled' });
  t.like(await order(held.order.id), { state: 'cancelled', failure_code: 'sale_cancelled' });
  const stock = await app.db('instant_stock').where({ campaign_id: c.id }).sum('remaining as r').first();
  t.is(Number(stock!.r), 4 * UNIT, 'the hold gave its unit back; the paid one did not');
  const audit = await app.db('audit_log').where({ action: 'instant.holds_released' });
  t.deepEqual(
    audit.map((e) => e.data),
    [{ purchases: [held.id], reason: 'sale_cancelled' }],
  );

  // The paid buyer's voucher numbers still go out: the cancel withdrew only notices of what is no more.
  t.deepEqual(
    await app.db('messages').where({ campaign_id: c.id }).orderBy('kind').select('kind', 'status'),
    [
      { kind: 'queue_turn', status: 'cancelled' },
      { kind: 'vouchers_issued', status: 'queued' },
    ],
  );

  // What each sees of their place: the paid purchase; the sale cancelled for the others.
  t.like(await look(paying!), { state: 'purchased', purchase_id: paid.id });
  t.like(await look(holding!), { state: 'cancelled' });
  t.like(await look(turned!), { state: 'cancelled' });
  const page = await app.request('GET', `/campaigns/${c.id}/queue?lang=en`, { headers: turned!.headers });
  t.regex(page.text, /id="queue-cancelled">This sale was cancelled\./);
  // A turn's token buys nothing now; nothing is written.
  const late = await buy(turned!, turn.admission_token);
  t.is(late.status, 409, late.text);
  t.is(late.json.error.code, 'campaign_closed');
  t.is(await purchase(turned!), undefined);
  const [newcomer] = await buyers(app, 1);
  const join = await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: newcomer!.headers });
  t.is(join.status, 409, join.text);
  t.is(join.json.error.code, 'campaign_closed');

  // The buyer who held pays anyway, at the provider's page still open: the money is given back, not kept.
  await pay(held.order.checkout_url);
  t.like(await order(held.order.id), { state: 'cancelled', refund_reason: 'late_payment' });
  t.truthy((await order(held.order.id)).refund_requested_at);
  t.is((await purchase(holding!)).state, 'released');

  // Nothing held any more: the pass leaves the cancelled sale alone.
  t.false((await liveInstantCampaigns(app.db, app.clock.now())).some((s) => s.id === c.id));
});

test('a sale cancelled before its opening: its pre-queue is told so at once, and never shuffled', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const admin = await app.staff('admin');
  const c = await scheduledSale(app, { units: 5 });
  await tick(); // the waiting room, its commitment published
  const [early] = await buyers(app, 1);
  const joined = await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: early!.headers });
  t.is(joined.json.queue.state, 'pre_queue');
  const cancelled = await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, { as: admin, json: {} });
  t.is(cancelled.status, 200, cancelled.text);
  // Its opening time passes all the same.
  await app.db.raw(`UPDATE campaigns SET opens_at = now() - interval '1 second' WHERE id = ?`, [c.id]);
  await tick();
  // Asked to wait for the shuffle, the look is answered at once: there will be none.
  const started = Date.now();
  const look = await app.request('GET', `/api/campaigns/${c.id}/queue`, {
    headers: { ...early!.headers, prefer: 'wait=25' },
  });
  t.like(look.json.queue, { state: 'cancelled' });
  t.true(Date.now() - started < 5000, `answered after ${Date.now() - started} ms`);
  const room = await app.db('instant_rooms').where({ campaign_id: c.id }).first();
  t.is(room.shuffled_at, null);
  t.is((await app.db('campaigns').where({ id: c.id }).first()).state, 'cancelled');
});
