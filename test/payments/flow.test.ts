// Paying for a won voucher with the development provider, through the real app and database: the happy path,
// the return and the webhook in either order, a decline, idempotency keys, expiry and a refund.
// Over 300 lines: each case needs a drawn campaign with winners (a world), so the page checks ride along in them.
import test from 'ava';
import { expireUnclaimedAwards } from '../../src/commands/awards.js';
import { at } from '../draw/_scenario.js';
import { TEST_SECRETS } from '../helpers/app.js';
import { freshHeaders, orderFor, ordersOf, type PaymentWorld, paymentWorld } from '../helpers/payments.js';

const worlds: PaymentWorld[] = [];
test.after.always(async () => {
  for (const w of worlds) await w.close();
});
async function world(o: Parameters<typeof paymentWorld>[0] = {}) {
  const w = await paymentWorld(o);
  worlds.push(w);
  return w;
}

/** The browser at the dev checkout: choose, follow the provider's redirect back to the service. */
async function checkout(w: PaymentWorld, checkoutUrl: string, choice: 'pay' | 'decline' | 'cancel') {
  const path = new URL(checkoutUrl).pathname;
  const page = await w.app.request('GET', path, { headers: { accept: 'text/html' } });
  if (page.status !== 200) throw new Error(`checkout page ${page.status}`);
  const back = await w.app.request('POST', path, { form: { choice }, headers: { accept: 'text/html' } });
  return back.headers.get('location')!;
}

const returnTo = async (w: PaymentWorld, location: string) => {
  const u = new URL(location);
  return w.app.request('GET', u.pathname + u.search, { headers: { accept: 'text/html' } });
};

const audits = async (w: PaymentWorld) =>
  (await w.app.db('audit_log').where('action', 'like', 'order.%').orderBy('seq')).map((r) => r.action);

test('happy path: a winner pays the discounted price on the server-computed order and gets one voucher set', async (t) => {
  const w = await world({ faults: { webhookDelayMs: 200 } });
  const winner = w.winners[0]!;
  const res = await orderFor(w, 0, 'key-happy-0001');
  t.is(res.status, 201, res.text);
  const order = res.json.order;
  t.is(order.state, 'pending');
  t.is(order.face_value, winner.amount);
  t.is(order.amount, winner.amount * 0.9);
  const back = await checkout(w, order.checkout_url, 'pay');
  t.regex(back, new RegExp(`/payments/return/${order.id}\\?paymentId=`));
  const landed = await returnTo(w, back);
  t.is(landed.status, 303);
  t.regex(landed.headers.get('location')!, /\/application\?pay=paid#purchase$/);
  let row = await w.app.db('orders').where({ id: order.id }).first();
  t.is(row.state, 'paid');
  t.is(Number(row.paid_amount), order.amount);
  const award = await w.app
    .db('awards')
    .where({ campaign_id: w.campaignId, public_id: winner.public_id })
    .first();
  t.is(award.status, 'collected');
  t.is(award.collected_by, `order:${order.id}`);
  t.is(await w.runJobs(), 1);
  row = await w.app.db('orders').where({ id: order.id }).first();
  t.is(row.state, 'issued');
  const vouchers = await w.app.db('vouchers').where({ order_id: order.id });
  t.is(vouchers.length, winner.amount / 10_000);
  t.is(new Set(vouchers.map((v) => v.number)).size, vouchers.length);
  t.true(
    vouchers.every((v) => /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/.test(v.number) && Number(v.face_value) === 10_000),
  );
  const notice = await w.app.db('messages').where({ kind: 'vouchers_issued' });
  t.is(notice.length, 1);
  t.true(notice[0].body.includes(vouchers[0].number));
  // The webhook comes after the return and finds nothing to do.
  await w.dev!.settled();
  t.is((await w.app.db('payment_webhooks')).length, 1);
  t.is((await w.app.db('orders').where({ id: order.id }).first()).state, 'issued');
  const trail = await audits(w);
  t.deepEqual(
    trail.filter((a) => a !== 'order.webhook_received'),
    ['order.created', 'order.pending', 'order.paid', 'order.issued'],
  );
  t.true(trail.includes('order.webhook_received'));
  // The winner's page shows the vouchers.
  const page = await w.app.request('GET', `/campaigns/${w.campaignId}/application`, {
    headers: { ...winner.headers, accept: 'text/html' },
  });
  t.is(page.status, 200);
  t.true(page.text.includes(vouchers[0].number));
});

test('the webhook before the return: the webhook pays, the return then finds it paid without asking the provider; issued once', async (t) => {
  const w = await world();
  const res = await orderFor(w, 1, 'key-webhook-first');
  const pid = new URL(res.json.order.checkout_url).pathname.split('/').pop()!;
  const lookups: string[] = [];
  const lookup = w.dev!.lookup.bind(w.dev);
  w.dev!.lookup = (paymentId) => {
    lookups.push(paymentId);
    return lookup(paymentId);
  };
  const back = await w.dev!.checkout.complete(pid, 'pay');
  await w.dev!.settled(); // the webhook has been delivered and handled
  const order = await w.app.db('orders').where({ id: res.json.order.id }).first();
  t.is(order.state, 'paid');
  t.true((await audits(w)).includes('order.webhook_received'));
  t.deepEqual(lookups, [pid], 'the webhook asked the provider');
  const landed = await returnTo(w, back);
  t.regex(landed.headers.get('location')!, /pay=paid/);
  t.deepEqual(lookups, [pid], 'a recorded payment is not asked about again');
  t.is(await w.runJobs(), 1);
  t.is(await w.runJobs(), 0);
  t.is((await audits(w)).filter((a) => a === 'order.paid').length, 1);
  t.is((await w.app.db('orders').where({ id: order.id }).first()).state, 'issued');
});

test('a decline fails the order with the reason; the winner may pay again with a new order', async (t) => {
  const w = await world();
  const first = await orderFor(w, 2, 'key-decline-0001');
  const back = await checkout(w, first.json.order.checkout_url, 'decline');
  t.regex(back, /code=DEV_DECLINED/);
  await returnTo(w, back);
  const failed = await w.app.db('orders').where({ id: first.json.order.id }).first();
  t.is(failed.state, 'failed');
  t.is(failed.failure_code, 'DEV_DECLINED');
  t.is(failed.paid_amount, null);
  t.is(await w.runJobs(), 0);
  const page = await w.app.request('GET', `/campaigns/${w.campaignId}/application`, {
    headers: { ...w.winners[2]!.headers, accept: 'text/html' },
  });
  t.true(page.text.includes('결제가 승인되지 않았습니다'));
  t.true(page.text.includes('id="pay-button"'));
  const again = await orderFor(w, 2, 'key-decline-0002');
  t.is(again.status, 201);
  t.not(again.json.order.id, first.json.order.id);
});

test('idempotency: the same key replays the first answer; with another amount it is refused; one open order per award', async (t) => {
  const w = await world();
  const first = await orderFor(w, 3, 'key-idem-00001');
  t.is(first.status, 201);
  const replay = await orderFor(w, 3, 'key-idem-00001');
  t.is(replay.status, 201);
  t.is(replay.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(replay.json, first.json);
  // Another amount than the first request's (the whole award): 10,000 KRW would be the same request when the
  // award itself is 10,000, and then it is rightly a replay.
  const other = await orderFor(w, 3, 'key-idem-00001', { face_value: w.winners[3]!.amount + 10_000 });
  t.is(other.status, 422);
  t.is(other.json.error.code, 'idempotency_key_reused');
  const second = await orderFor(w, 3, 'key-idem-00002');
  t.is(second.status, 409);
  t.is(second.json.error.code, 'order_already_open');
  t.is(second.json.error.details.order_id, first.json.order.id);
  t.is((await ordersOf(w.app.db, w.campaignId)).length, 1);
  // Bad input changes nothing.
  const tooMuch = await orderFor(w, 4, 'key-idem-00003', { face_value: w.winners[4]!.amount + 10_000 });
  t.is(tooMuch.status, 422);
  const noKey = await w.app.request('POST', `/api/campaigns/${w.campaignId}/award/orders`, {
    json: {},
    headers: w.winners[4]!.headers,
  });
  t.is(noKey.status, 422);
  t.deepEqual(noKey.json.error.fields, { idempotency_key: 'Required' }, 'the API in English, as before');
  // The page's form with a key that is not one (a page kept from before, or tampered with): the refusal's page in
  // the reader's language, and no order.
  for (const [lang, words, english] of [
    ['ko', 'idempotency_key</strong>: 영문, 숫자, 기호 _ : . - 만으로 8~100자여야 합니다.', false],
    ['en', 'idempotency_key</strong>: 8 to 100 letters, digits, _ : . or -', true],
  ] as const) {
    const bad = await w.app.request('POST', `/campaigns/${w.campaignId}/award/pay?lang=${lang}`, {
      headers: { ...w.winners[4]!.headers, accept: 'text/html' },
      form: { idempotency_key: 'short' },
    });
    t.is(bad.status, 422);
    t.true(bad.text.includes(words), bad.text);
    t.is(bad.text.includes('8 to 100 letters'), english);
  }
  // Less than one voucher, or not a whole number of them, out of an award of two or more.
  const big = w.winners.findIndex((p, i) => i !== 3 && p.amount >= 20_000);
  t.true(big >= 0, 'a winner of two or more vouchers');
  for (const face_value of [5_000, 15_000]) {
    const odd = await orderFor(w, big, `key-idem-odd-${face_value}`, { face_value });
    t.is(odd.status, 422, odd.text);
    t.is(odd.json.error.code, 'validation_failed');
    t.regex(odd.json.error.fields.face_value, /multiple of 10000 KRW/);
  }
  // Before the claim window opens (the draw was at +4 h, claims open at +5 h).
  const was = w.app.clock.now();
  w.app.clock.set(at(4.5));
  const early = await w.app.request('POST', `/api/campaigns/${w.campaignId}/award/orders`, {
    json: {},
    headers: { ...(await freshHeaders(w, w.winners[big]!)), 'idempotency-key': 'key-idem-early' },
  });
  w.app.clock.set(was);
  t.is(early.status, 409, early.text);
  t.is(early.json.error.code, 'award_not_payable');
  t.is((await ordersOf(w.app.db, w.campaignId)).length, 1);
  // Someone who did not win cannot buy.
  const waiting = await w.app.request('POST', `/api/campaigns/${w.campaignId}/award/orders`, {
    json: {},
    headers: { ...w.waitlisted[0]!.headers, 'idempotency-key': 'key-idem-00004' },
  });
  t.is(waiting.status, 409);
  t.is(waiting.json.error.code, 'award_not_payable');
  const waitingPage = await w.app.request('GET', `/campaigns/${w.campaignId}/application`, {
    headers: { ...w.waitlisted[0]!.headers, accept: 'text/html' },
  });
  t.is(waitingPage.status, 200);
  t.false(waitingPage.text.includes('id="purchase"'), 'no purchase section on the waitlist');
  // The page's form with an order already open: back to the page, which says so; no second order.
  const page = `/campaigns/${w.campaignId}/award/pay`;
  const form = {
    headers: { ...w.winners[3]!.headers, accept: 'text/html' },
    form: { idempotency_key: 'key-idem-00005' },
  };
  const open = await w.app.request('POST', page, form);
  t.is(open.status, 303);
  t.is(open.headers.get('location'), `/campaigns/${w.campaignId}/application?pay=open#purchase`);
  const shown = await w.app.request('GET', `/campaigns/${w.campaignId}/application?pay=open`, {
    headers: form.headers,
  });
  t.true(shown.text.includes('이미 진행 중인 주문이 있습니다'));
  t.true(shown.text.includes('결제 계속하기'), 'with the way back to the checkout');
  const signedOut = await w.app.request('POST', page, { ...form, headers: { accept: 'text/html' } });
  t.is(signedOut.headers.get('location'), `/campaigns/${w.campaignId}/apply`);
  // The page's form from someone who did not win: the refusal's own page, not a redirect, and no order.
  const notWon = await w.app.request('POST', page, {
    headers: { ...w.waitlisted[0]!.headers, accept: 'text/html' },
    form: { idempotency_key: 'key-idem-00006' },
  });
  t.is(notWon.status, 409);
  t.regex(notWon.headers.get('content-type') ?? '', /^text\/html/);
  // The provider's return for an order that is not there.
  const stray = await w.app.request('GET', '/payments/return/00000000-0000-4000-8000-000000000000', {
    headers: { accept: 'text/html' },
  });
  t.is(stray.status, 404);
  t.is((await ordersOf(w.app.db, w.campaignId)).length, 1);
  // The winner's own orders through the API: the one open order.
  const list = await w.app.request('GET', `/api/campaigns/${w.campaignId}/award/orders`, {
    headers: w.winners[3]!.headers,
  });
  t.is(list.status, 200);
  t.deepEqual(
    list.json.orders.map((o: { id: string; vouchers: unknown[] }) => [o.id, o.vouchers.length]),
    [[first.json.order.id, 0]],
  );
});

test('an unpaid order expires after its hold; the award then passes down the waitlist at its deadline', async (t) => {
  const w = await world();
  const winner = w.winners[5]!;
  const res = await orderFor(w, 5, 'key-expire-0001');
  t.is(res.status, 201);
  w.app.clock.advance(31 * 60_000);
  const r = await w.reconcile();
  t.is(r.expired, 1);
  t.is((await w.app.db('orders').where({ id: res.json.order.id }).first()).state, 'expired');
  let award = await w.app
    .db('awards')
    .where({ campaign_id: w.campaignId, public_id: winner.public_id })
    .first();
  t.is(award.status, 'won', 'the winner may still pay until the award deadline');
  w.app.clock.set(new Date(award.claim_deadline.getTime() + 1000));
  // Past the deadline, before the sweep has released the award: no new order, nothing stored.
  const lapsed = await w.app.request('POST', `/api/campaigns/${w.campaignId}/award/orders`, {
    json: {},
    headers: { ...(await freshHeaders(w, winner)), 'idempotency-key': 'key-expire-0003' },
  });
  t.is(lapsed.status, 409, lapsed.text);
  t.is(lapsed.json.error.code, 'award_not_payable');
  t.is((await ordersOf(w.app.db, w.campaignId)).length, 1, 'only the expired order');
  const sweep = await expireUnclaimedAwards({
    db: w.app.db,
    clock: w.app.clock,
    secrets: TEST_SECRETS,
    publicUrl: w.app.url,
  });
  t.true(sweep.expired >= 1);
  award = await w.app.db('awards').where({ campaign_id: w.campaignId, public_id: winner.public_id }).first();
  t.is(award.status, 'expired');
  t.true(sweep.promoted >= 1, 'the freed amount passed down (unclaimed policy pass_down)');
  const late = await w.app.request('POST', `/api/campaigns/${w.campaignId}/award/orders`, {
    json: {},
    headers: { ...(await freshHeaders(w, winner)), 'idempotency-key': 'key-expire-0002' },
  });
  t.is(late.status, 409);
  t.is(late.json.error.code, 'award_not_payable');
  const page = await w.app.request('GET', `/campaigns/${w.campaignId}/application`, {
    headers: { ...(await freshHeaders(w, winner)), accept: 'text/html' },
  });
  t.true(page.text.includes('구매 기한이 지났습니다'), 'the page says the deadline passed');
  t.true(page.text.includes('결제 시간이 지나 주문이 만료되었습니다'), 'and what became of the order');
  t.false(page.text.includes('id="pay-button"'));
});

test('a payment confirmed after the award expired is refunded automatically, audited and notified', async (t) => {
  const w = await world();
  const winner = w.winners[6]!;
  const res = await orderFor(w, 6, 'key-refund-0001');
  const pid = new URL(res.json.order.checkout_url).pathname.split('/').pop()!;
  const other = await orderFor(w, 7, 'key-refund-0002');
  const otherPid = new URL(other.json.order.checkout_url).pathname.split('/').pop()!;
  const award = await w.app
    .db('awards')
    .where({ campaign_id: w.campaignId, public_id: winner.public_id })
    .first();
  w.app.clock.set(new Date(award.claim_deadline.getTime() + 1000));
  // Paid past the deadline, before any sweep has released the award: not honoured either, the money goes back.
  await w.app
    .db('dev_payments')
    .where({ payment_id: otherPid })
    .update({ status: 'PAID', paid_at: new Date() });
  await w.app.request('GET', `/payments/return/${other.json.order.id}?paymentId=${otherPid}`);
  const late = await w.app.db('orders').where({ id: other.json.order.id }).first();
  t.like(late, { state: 'paid', refund_reason: 'award_not_honoured' });
  t.is(
    (
      await w.app
        .db('awards')
        .where({ campaign_id: w.campaignId, public_id: w.winners[7]!.public_id })
        .first()
    ).status,
    'won',
    'not taken by the late payment',
  );
  // The award lapses (swept) while the payer is still at the checkout; then they pay.
  await expireUnclaimedAwards({
    db: w.app.db,
    clock: w.app.clock,
    secrets: TEST_SECRETS,
    publicUrl: w.app.url,
  });
  await w.app.db('dev_payments').where({ payment_id: pid }).update({ status: 'PAID', paid_at: new Date() });
  await w.app.request('GET', `/payments/return/${res.json.order.id}?paymentId=${pid}`);
  let order = await w.app.db('orders').where({ id: res.json.order.id }).first();
  t.is(order.state, 'paid');
  t.is(order.refund_reason, 'award_not_honoured');
  const pending = await w.app.request('GET', `/campaigns/${w.campaignId}/application`, {
    headers: { ...(await freshHeaders(w, winner)), accept: 'text/html' },
  });
  t.regex(pending.text, /결제한 [\d,]+원을 환불하고 있습니다/, 'the page says the refund is under way');
  // The provider refunded the second already (a refund job that died before its own commit): the rerun
  // finds it cancelled there and completes it here.
  await w.app
    .db('dev_payments')
    .where({ payment_id: otherPid })
    .update({ status: 'CANCELLED', cancelled_amount: w.app.db.raw('amount'), cancelled_at: new Date() });
  t.is(await w.runJobs(), 2);
  order = await w.app.db('orders').where({ id: res.json.order.id }).first();
  t.is(order.state, 'refunded');
  t.is(Number(order.refunded_amount), Number(order.amount));
  t.is((await w.app.db('dev_payments').where({ payment_id: pid }).first()).status, 'CANCELLED');
  t.is((await w.app.db('dev_payments').where({ payment_id: otherPid }).first()).status, 'CANCELLED');
  t.is((await w.app.db('orders').where({ id: other.json.order.id }).first()).state, 'refunded');
  t.is((await w.app.db('vouchers').whereIn('order_id', [order.id, other.json.order.id])).length, 0);
  t.is((await w.app.db('messages').where({ kind: 'payment_refunded' })).length, 2);
  t.deepEqual((await audits(w)).filter((a) => a.startsWith('order.refund')).sort(), [
    'order.refund_requested',
    'order.refund_requested',
    'order.refunded',
    'order.refunded',
  ]);
});

test("orders are the winner's own: an unknown order, another winner's order and a campaign they are not in are refused, nothing changes", async (t) => {
  const w = await world();
  const created = await orderFor(w, 0, 'key-own-0001');
  t.is(created.status, 201, created.text);
  const order = created.json.order;
  const before = await ordersOf(w.app.db, w.campaignId);

  const unknown = crypto.randomUUID();
  for (const id of ['pay_unknown', 'bad%20id']) {
    t.is((await w.app.request('GET', `/dev/checkout/${id}`)).status, 404, id);
    t.is((await w.app.request('POST', `/dev/checkout/${id}`, { form: { choice: 'pay' } })).status, 404, id);
  }
  const lost = await w.app.request('GET', `/payments/return/${unknown}`, {
    headers: { accept: 'application/json' },
  });
  t.is(lost.status, 404);
  t.is(lost.json.error.code, 'not_found');
  const notMine = await w.app.request('POST', `/api/payments/orders/${order.id}/confirm`, {
    headers: w.winners[1]!.headers,
  });
  t.is(notMine.status, 404, "another winner's order is not found, not shown");
  t.is(notMine.json.error.code, 'not_found');
  const none = await w.app.request('POST', `/api/payments/orders/${unknown}/confirm`, {
    headers: w.winners[1]!.headers,
  });
  t.is(none.json.error.code, 'not_found');

  const elsewhere = crypto.randomUUID();
  const noApplication = await w.app.request('GET', `/api/campaigns/${elsewhere}/award/orders`, {
    headers: w.winners[0]!.headers,
  });
  t.is(noApplication.status, 409);
  t.is(noApplication.json.error.code, 'award_not_payable');
  const own = await w.app.request('POST', `/api/payments/orders/${order.id}/confirm`, {
    headers: w.winners[0]!.headers,
  });
  t.is(own.status, 200, 'the owner may ask');
  t.is(own.json.order.state, 'pending', 'not paid before the checkout');
  const back = await w.app.request('GET', `/payments/return/${order.id}?lang=en`, {
    headers: { accept: 'text/html' },
  });
  t.is(back.status, 303, 'back from the checkout without paying');
  t.is(back.headers.get('location'), `/campaigns/${w.campaignId}/application?pay=pending&lang=en#purchase`);
  t.deepEqual(await ordersOf(w.app.db, w.campaignId), before);
});
