// An instant buyer's vouchers after paying: their place in the sale (the page, in Korean and English) shows the
// numbers, face value and last valid day as a lottery winner's page does.
import test from 'ava';
import { DateTime } from 'luxon';
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
