// An instant buyer's vouchers after paying: their place in the sale (the page, in Korean and English, and the
// queue's API) shows the numbers, face value and last valid day as a lottery winner's page does, and the SMS that
// tells the numbers links to that place, so a lost message does not lose the vouchers.
import test from 'ava';
import { DateTime } from 'luxon';
import { smsSegments } from '../../src/notify/segments.js';
import {
  buyAtTurn,
  buyers,
  instantWorld,
  openSale,
  payAtCheckout,
  scheduledSale,
} from '../helpers/instant.js';

const UNIT = 10_000;

/** A sale where `lang`'s buyer (told by SMS) bought two units, paid, and had their vouchers issued. */
async function boughtAndIssued(lang: 'ko' | 'en') {
  const w = await instantWorld();
  const { app, tick, issue } = w;
  const c = await scheduledSale(app, { units: 5 });
  const [me] = await buyers(app, 1, { sms: true, lang });
  await openSale(app, c.id);
  await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: me!.headers });
  await tick();
  const bought = await buyAtTurn(app, c.id, me!, `vouchers-${lang}`, 2 * UNIT);
  const order = bought.json.purchase.order;
  await payAtCheckout(app, order.checkout_url);
  await tick();
  const issued = await issue(order.id);
  const numbers: string[] = await app
    .db('vouchers')
    .where({ order_id: order.id })
    .orderBy('seq')
    .pluck('number');
  return { ...w, campaignId: c.id as string, me: me!, orderId: order.id as string, issued, numbers };
}

/** A voucher's last valid day as its holder reads it: the date in the campaign's time zone. */
async function lastDay(
  app: Awaited<ReturnType<typeof instantWorld>>['app'],
  campaignId: string,
  number: string,
) {
  const { time_zone } = await app.db('campaigns').where({ id: campaignId }).first('time_zone');
  const { valid_until } = await app.db('vouchers').where({ number }).first('valid_until');
  return DateTime.fromJSDate(valid_until, { zone: time_zone }).toFormat('yyyy-MM-dd');
}

test('the page of a paid place shows the vouchers issued, in Korean and in English', async (t) => {
  const { app, campaignId, me, issued, numbers } = await boughtAndIssued('ko');
  t.teardown(() => app.close());
  t.is(issued, 'issued');
  t.is(numbers.length, 2);
  const html = { ...me.headers, accept: 'text/html' };
  const ko = await app.request('GET', `/campaigns/${campaignId}/queue`, { headers: html });
  t.is(ko.status, 200);
  t.regex(ko.text, /결제를 마쳤습니다/);
  t.regex(ko.text, /<table id="vouchers"/);
  t.regex(ko.text, /발급된 상품권/);
  for (const n of numbers) t.true(ko.text.includes(n), n);
  t.regex(ko.text, /10,000원/);
  t.true(ko.text.includes(await lastDay(app, campaignId, numbers[0]!)));
  const en = await app.request('GET', `/campaigns/${campaignId}/queue?lang=en`, { headers: html });
  t.regex(en.text, /Your vouchers/);
  t.regex(en.text, /Valid until/);
  t.regex(en.text, /KRW 10,000/);
  for (const n of numbers) t.true(en.text.includes(n), n);
});

test("the queue's API answers a paid place with its purchase and the vouchers issued", async (t) => {
  const { app, campaignId, me, orderId, numbers } = await boughtAndIssued('ko');
  t.teardown(() => app.close());
  const look = await app.request('GET', `/api/campaigns/${campaignId}/queue`, { headers: me.headers });
  t.is(look.status, 200, look.text);
  t.is(look.json.queue.state, 'purchased');
  const p = look.json.purchase;
  t.is(p.id, look.json.queue.purchase_id);
  t.is(p.order_state, 'issued');
  t.is(p.order_id, orderId);
  t.deepEqual(
    p.vouchers.map((v: { number: string }) => v.number),
    numbers,
  );
  const row = await app.db('vouchers').where({ number: numbers[0] }).first();
  t.like(p.vouchers[0], {
    face_value: UNIT,
    valid_until: row.valid_until.toISOString(),
  });
  t.is(p.vouchers[0].valid_until_day, await lastDay(app, campaignId, numbers[0]!));
  // Joining again answers the same place, the same way.
  const again = await app.request('POST', `/api/campaigns/${campaignId}/queue`, { headers: me.headers });
  t.deepEqual(again.json.purchase, p);
});

for (const lang of ['ko', 'en'] as const) {
  test(`the vouchers_issued SMS (${lang}) carries the numbers and a link to the place in the sale`, async (t) => {
    const { app, campaignId, numbers } = await boughtAndIssued(lang);
    t.teardown(() => app.close());
    const [told] = await app.db('messages').where({ kind: 'vouchers_issued' });
    t.is(told.channel, 'sms');
    t.is(told.lang, lang);
    for (const n of numbers) t.true(told.body.includes(n), told.body);
    const link = `${app.url}/campaigns/${campaignId}/queue${lang === 'en' ? '?lang=en' : ''}`;
    t.true(told.body.trimEnd().endsWith(link), told.body);
    // The segments recorded are the body's; two vouchers and the link stay within three Korean parts.
    t.is(told.segments, smsSegments(told.body).segments);
    t.true(told.segments <= 3, `${told.segments} segments: ${told.body}`);
  });
}
