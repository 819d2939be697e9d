// The issued-vouchers notice counts in English as people do: "1 voucher", "2 vouchers", on every channel (the SMS, the
// email's subject, text and HTML). Korean counts with 매 and needs no plural.
import test from 'ava';
import { renderNotice } from '../../src/notify/render.js';

const params = (count: number, numbers: string) => ({
  campaign: 'Local vouchers',
  count,
  face_total: count === 1 ? 'KRW 10,000' : 'KRW 20,000',
  numbers,
  valid_until: '2027-06-30',
  url: 'https://city.example/campaigns/1/application?lang=en',
});

/** The vouchers_issued notice for `count` vouchers numbered `numbers`. */
const issued = (channel: 'sms' | 'email', lang: 'ko' | 'en', count: number, numbers: string) =>
  renderNotice({ kind: 'vouchers_issued', channel, lang, params: params(count, numbers) });

test('one voucher is a voucher, two are vouchers (English SMS)', (t) => {
  const one = renderNotice({ kind: 'vouchers_issued', channel: 'sms', lang: 'en', params: params(1, 'V-1') });
  t.is(
    one.body,
    '[Fair Allocation] Local vouchers: 1 voucher (KRW 10,000) issued: V-1 (valid until 2027-06-30). ' +
      'See it again: https://city.example/campaigns/1/application?lang=en',
  );
  const two = issued('sms', 'en', 2, 'V-1, V-2');
  t.true(two.body.includes(': 2 vouchers (KRW 20,000) issued: V-1, V-2'), two.body);
  t.true(two.body.includes('See them again'), two.body);
});

test('one voucher is a voucher in the English email, its subject and its HTML', (t) => {
  const one = issued('email', 'en', 1, 'V-1');
  t.is(one.subject, 'Voucher issued: Local vouchers');
  t.true(one.body.includes('1 voucher (face value KRW 10,000) has been issued.'), one.body);
  t.true(one.body.includes('Voucher number: V-1'), one.body);
  t.true(one.html!.includes('1 voucher (face value KRW 10,000) has been issued.'), one.html!);
  t.false(/\b1 vouchers\b/.test(`${one.body}${one.html}`));
  const two = issued('email', 'en', 2, 'V-1, V-2');
  t.is(two.subject, 'Vouchers issued: Local vouchers');
  t.true(two.body.includes('2 vouchers (face value KRW 20,000 in total) have been issued.'), two.body);
  t.true(two.body.includes('Voucher numbers: V-1, V-2'));
});

test('Korean reads the same for any count', (t) => {
  const one = renderNotice({ kind: 'vouchers_issued', channel: 'sms', lang: 'ko', params: params(1, 'V-1') });
  t.true(one.body.includes('상품권 1매(KRW 10,000) 발급'), one.body);
});
