// An instant sale cancelled while buyers hold its stock: what was paid stands and is issued; a hold not yet paid
// ends at the next pass, its order cancelled and its stock back, and a payment that still comes is refunded;
// everyone else's place says the sale was cancelled, and a turn's token buys nothing any more.
import test from 'ava';
import { endCancelledHolds } from '../../src/commands/instant/releaseHolds.js';
import { tellOfCancel } from '../../src/commands/tellOfCancel.js';
import type { Db } from '../../src/db/knex.js';
import { liveInstantCampaigns } from '../../src/db/repos/instantRooms.js';
import { cancelQueued } from '../../src/db/repos/messageStatus.js';
import { TURN_NOTICE_AFTER_MS } from '../../src/domain/instant/waitingRoom.js';
import { MONEY_NOTICES } from '../../src/notify/notice.js';
import { pendingAfter } from '../helpers/async.js';
import {
  type Buyer,
  buyAtTurn,
  buyers,
  instantWorld,
  payAtCheckout,
  queuedSale,
  scheduledSale,
} from '../helpers/instant.js';

const UNIT = 10_000;

/** The admin's word to residents, given with the cancel. */
const NOTE = '가격이 잘못 정해져 취소합니다. 다시 열 때 문자로 알려 드립니다.';

test('a sale cancelled with a paid purchase, an unpaid hold and a turn not yet used', async (t) => {
  const { app, tick, issue, worker } = await instantWorld();
  t.teardown(() => app.close());
  const admin = await app.staff('admin');
  const {
    c,
    people: [paying, holding, turned, payingLate],
  } = await queuedSale(app, 4);
  await tick();
  const look = async (p: Buyer) =>
    (await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: p.headers })).json.queue;
  const buy = async (p: Buyer) => (await buyAtTurn(app, c.id, p, `k-${p.identity_id}`)).json.purchase;
  const pay = (checkoutUrl: string) => payAtCheckout(app, checkoutUrl);
  const paid = await buy(paying!);
  const held = await buy(holding!);
  const late = await buy(payingLate!);
  const turn = await look(turned!);
  t.is(turn.state, 'your_turn');
  await pay(paid.order.checkout_url);
  await tick();
  t.is(await issue(paid.order.id), 'issued');
  app.clock.advance(TURN_NOTICE_AFTER_MS);
  await tick(); // the turn still unused is told, by a notice queued to go

  const cancelled = await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, {
    as: admin,
    json: { reason: 'price set wrong', message_ko: NOTE },
  });
  t.is(cancelled.status, 200, cancelled.text);
  await pay(late.order.checkout_url); // paid after the cancel, before the pass: it stands
  await tick();
  await worker(); // the cancel's job tells those still waiting

  const purchase = (p: Buyer) => app.db('instant_purchases').where({ identity_id: p.identity_id }).first();
  const order = (id: string) => app.db('orders').where({ id }).first();
  // The paid purchase stands, its vouchers issued; the unpaid hold ended with the sale, its order cancelled.
  t.is((await purchase(paying!)).state, 'paid');
  t.is((await order(paid.order.id)).state, 'issued');
  t.is((await purchase(payingLate!)).state, 'paid');
  t.is((await order(late.order.id)).state, 'paid');
  const ended = await purchase(holding!);
  t.like(ended, { state: 'released', release_reason: 'sale_cancelled' });
  t.like(await order(held.order.id), { state: 'cancelled', failure_code: 'sale_cancelled' });
  const stock = await app.db('instant_stock').where({ campaign_id: c.id }).sum('remaining as r').first();
  t.is(Number(stock!.r), 3 * UNIT, 'the hold gave its unit back; the paid ones did not');
  const audit = await app.db('audit_log').where({ action: 'instant.holds_released' });
  t.deepEqual(
    audit.map((e) => e.data),
    [{ purchases: [held.id], sale_cancelled: [held.id] }],
  );

  // The paid buyer's voucher numbers still go out: the cancel withdrew only notices of what is no more. The buyer
  // whose purchase ended with the sale is told not to pay.
  t.deepEqual(
    await app.db('messages').where({ campaign_id: c.id }).orderBy('kind').select('kind', 'status'),
    [
      { kind: 'queue_cancelled', status: 'queued' },
      { kind: 'queue_turn', status: 'cancelled' },
      { kind: 'sale_cancelled', status: 'queued' },
      { kind: 'vouchers_issued', status: 'queued' },
    ],
  );
  // The one still waiting with a turn not used is told the sale will not come.
  const waiting = await app.db('messages').where({ campaign_id: c.id, kind: 'queue_cancelled' }).first();
  t.regex(
    waiting.body,
    /^\[공정 배정\] 테스트 상품권 판매가 취소되어 대기열 자리도 없어졌습니다\. 결제된 금액은 없습니다: http/,
  );
  const cancelEntry = await app.db('audit_log').where({ action: 'campaign.cancelled' }).first();
  t.like(cancelEntry.data, { from: 'open', to: 'cancelled', notices_cancelled: 1 });
  const told = await app.db('messages').where({ campaign_id: c.id, kind: 'sale_cancelled' }).first();
  t.regex(
    told.body,
    /^\[공정 배정\] 테스트 상품권 판매가 취소되어 결제 전인 구매도 취소되었습니다\. 결제하지 마세요: http/,
  );
  // each told with the operator's word to residents, on a line of its own after the link
  t.true(told.body.endsWith(`/campaigns/${c.id}/queue\n운영 기관 안내: ${NOTE}`), told.body);
  t.true(waiting.body.endsWith(`/campaigns/${c.id}/queue\n운영 기관 안내: ${NOTE}`), waiting.body);
  await tick();
  t.is(
    (await app.db('messages').where({ campaign_id: c.id, kind: 'sale_cancelled' })).length,
    1,
    'told once',
  );

  // What each sees of their place: the paid purchase; the sale cancelled for the others.
  t.like(await look(paying!), { state: 'purchased', purchase_id: paid.id });
  t.like(await look(holding!), { state: 'cancelled' });
  t.like(await look(turned!), { state: 'cancelled' });
  const page = await app.request('GET', `/campaigns/${c.id}/queue?lang=en`, { headers: turned!.headers });
  t.regex(page.text, /id="queue-cancelled">This sale was cancelled\./);
  t.true(page.text.includes(`From the organisers:</strong> ${NOTE}`), 'the operator says why on the page');
  // A turn's token buys nothing now; nothing is written.
  const refused = await app.request('POST', `/api/campaigns/${c.id}/purchases`, {
    headers: {
      ...turned!.headers,
      'idempotency-key': `k-${turned!.identity_id}`,
      'x-admission-token': turn.admission_token,
    },
    json: { quantity: UNIT },
  });
  t.is(refused.status, 409, refused.text);
  t.is(refused.json.error.code, 'campaign_closed');
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

test('a sale cancelled before its opening: a look held for the shuffle is answered, and nothing is shuffled', async (t) => {
  const { app, ctx, tick } = await instantWorld();
  t.teardown(() => app.close());
  const admin = await app.staff('admin');
  const c = await scheduledSale(app, { units: 5 });
  await tick(); // the waiting room, its commitment published
  const [early, ...others] = await buyers(app, 3, { sms: true });
  for (const p of [early!, ...others]) {
    const joined = await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p.headers });
    t.is(joined.json.queue.state, 'pre_queue');
  }
  // The opening is seconds away: the page's look asks to wait for the shuffle, and is held.
  await app.db.raw(`UPDATE campaigns SET opens_at = now() + interval '3 seconds' WHERE id = ?`, [c.id]);
  const held = app.request('GET', `/api/campaigns/${c.id}/queue`, {
    headers: { ...early!.headers, prefer: 'wait=25' },
  });
  t.true(await pendingAfter(held, 500), 'held until the shuffle');
  // the pages' campaign read a moment before the cancel, as a busy pre-queue keeps it
  const before = await app.request('GET', `/campaigns/${c.id}/queue`, { headers: early!.headers });
  t.false(before.text.includes('id="queue-cancelled"'));
  const cancelled = await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, {
    as: admin,
    json: { message_ko: NOTE },
  });
  t.is(cancelled.status, 200, cancelled.text);
  // No shuffle will come: the look is answered within moments, not at the end of its 25 s.
  const cancelledAt = Date.now();
  const look = await held;
  t.true(Date.now() - cancelledAt < 2000, `answered ${Date.now() - cancelledAt} ms after the cancel`);
  t.like(look.json.queue, { state: 'cancelled' });
  // The page that answer reloads, and that stops refreshing: the campaign as it is now, with the word to residents.
  const page = await app.request('GET', `/campaigns/${c.id}/queue`, { headers: early!.headers });
  t.true(page.text.includes('id="queue-cancelled"'), page.text);
  t.true(page.text.includes(NOTE), page.text);
  // The cancel's job, two places a batch: everyone in the pre-queue told once, a rerun telling nobody again.
  t.deepEqual(await tellOfCancel(ctx, c.id, { batchSize: 2 }), { batches: 2, notices: 3 });
  t.deepEqual(await tellOfCancel(ctx, c.id, { batchSize: 2 }), { batches: 2, notices: 0 });
  t.deepEqual(
    await app.db('messages').where({ campaign_id: c.id }).select('kind', 'status'),
    Array(3).fill({ kind: 'queue_cancelled', status: 'queued' }),
    'the pre-queue is told the opening will not come',
  );
  await new Promise((r) => setTimeout(r, 3000)); // its opening time passes all the same
  await tick();
  const room = await app.db('instant_rooms').where({ campaign_id: c.id }).first();
  t.is(room.shuffled_at, null);
  t.is((await app.db('campaigns').where({ id: c.id }).first()).state, 'cancelled');
});

test('a cancelled sale’s queue is told head first: by rank, then the arrivals not yet ranked', async (t) => {
  const { app, ctx, tick } = await instantWorld();
  t.teardown(() => app.close());
  const admin = await app.staff('admin');
  const { c } = await queuedSale(app, 8);
  await tick(); // ranked 1..8, in the order they joined
  // two more, one after the other, whom no pass ranks now
  for (const p of await buyers(app, 2, { sms: true }))
    await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p.headers });
  const cancelled = await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, { as: admin, json: {} });
  t.is(cancelled.status, 200, cancelled.text);
  t.deepEqual(await tellOfCancel(ctx, c.id, { batchSize: 3 }), { batches: 4, notices: 10 });
  // Each batch is a transaction of its own, and the notices go out in the order their batches were written.
  // a place unranked is named by the order it arrived in: late1, then late2
  const places = await app.db('instant_queue').where({ campaign_id: c.id }).orderBy('arrival');
  const late = places.filter((p) => p.rank === null);
  const ranks = new Map(
    places.map((p) => [`queue_cancelled:${c.id}:${p.ticket}`, p.rank ?? `late${late.indexOf(p) + 1}`]),
  );
  // created_at to the microsecond: a batch's transaction time, one per batch
  const told = await app
    .db('messages')
    .where({ campaign_id: c.id, kind: 'queue_cancelled' })
    .select('dedupe_key', app.db.raw(`to_char(created_at, 'YYYY-MM-DD HH24:MI:SS.US') AS at`));
  const batches = new Map<string, Array<number | string>>();
  for (const m of told) batches.set(m.at, [...(batches.get(m.at) ?? []), ranks.get(m.dedupe_key)!]);
  t.deepEqual(
    [...batches.keys()].sort().map((at) => batches.get(at)!.sort()),
    [[1, 2, 3], [4, 5, 6], [7, 8, 'late1'], ['late2']],
  );
});

test('turns told while a cancel commits are not sent: the telling waits for it, or it for the telling', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const { c } = await queuedSale(app, 3); // with phone numbers
  await tick(); // their turns given
  app.clock.advance(TURN_NOTICE_AFTER_MS); // and unused long enough to be told
  // The cancel has moved the sale and withdrawn what was queued, not yet committed, when the pass (which reads the
  // sale as still open) comes to tell the turns.
  const cancel = await app.db.transaction();
  await cancel('campaigns').where({ id: c.id }).update({ state: 'cancelled' });
  await cancelQueued(cancel, c.id, 'campaign_cancelled', { except: MONEY_NOTICES });
  const pass = tick();
  await Promise.race([pass, someoneWaitsForALock(app.db)]);
  await cancel.commit();
  await pass;
  t.deepEqual(
    await app.db('messages').where({ campaign_id: c.id, kind: 'queue_turn', status: 'queued' }),
    [],
  );
});

test('a pass that read the sale before a cancel committed ranks and lets in nobody after it', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const { c } = await queuedSale(app, 3); // joined after the opening: no pass has ranked them yet
  // The cancel has moved the sale, not yet committed, when the pass (which reads the sale as still open) comes.
  const cancel = await app.db.transaction();
  await cancel('campaigns').where({ id: c.id }).update({ state: 'cancelled' });
  const pass = tick();
  await Promise.race([pass, someoneWaitsForALock(app.db)]);
  await cancel.commit();
  await pass;
  const places = await app.db('instant_queue').where({ campaign_id: c.id });
  t.is(places.length, 3);
  t.deepEqual(
    places.filter((p) => p.rank !== null || p.token_jti !== null),
    [],
    'none ranked, no turn given: the cancel’s job tells them in an order that no longer moves',
  );
  t.is((await app.db('instant_rooms').where({ campaign_id: c.id }).first()).shuffled_at, null);
});

test('a cancelled sale’s holds are all ended in one pass, batch after batch', async (t) => {
  const { app, ctx, tick } = await instantWorld();
  t.teardown(() => app.close());
  const { c, people } = await queuedSale(app, 3);
  await tick();
  for (const p of people) await buyAtTurn(app, c.id, p, `k-${p.identity_id}`);
  await app.db('campaigns').where({ id: c.id }).update({ state: 'cancelled' });
  const ended = await endCancelledHolds(ctx, c.id, 1); // a batch of one hold, as 500 are in a sale's rush
  t.like(ended, { released: 3, more: false });
  t.deepEqual(await app.db('instant_purchases').where({ campaign_id: c.id }).pluck('state'), [
    'released',
    'released',
    'released',
  ]);
});

/** Resolves once some backend of this database waits on a lock (polled every 20 ms, for at most 10 s). */
async function someoneWaitsForALock(db: Db): Promise<void> {
  for (let n = 0; n < 500; n++) {
    const { rows } = await db.raw(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows[0].n > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
