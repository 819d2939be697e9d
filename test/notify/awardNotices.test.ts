// What a winner's notices tell them to do next. A voucher is bought on the winner's own page: the won, promoted and
// reminder notices (SMS, email, ko and en) say the face value, the discounted price and the deadline to pay in the
// campaign's time zone, with the link to that page, and name no place, no app and no claim code. Goods keep their
// place, time and claim code. The SMS stay within the parts of a usual title and a city's address.
import test from 'ava';
import { awardNoticeOf, nextStep, type PlaceInfo, prizeText } from '../../src/commands/awardNotices.js';
import type { Campaign } from '../../src/domain/campaign.js';
import { encryptText } from '../../src/identity/crypto.js';
import type { NoticeKind } from '../../src/notify/notice.js';
import { renderNotice } from '../../src/notify/render.js';
import { TEST_SECRETS } from '../helpers/app.js';

const env = { secrets: TEST_SECRETS, publicUrl: 'https://voucher.junggu.go.kr' };
const deadline = new Date('2026-12-08T09:00:00Z'); // 18:00 in Seoul
const voucher = {
  id: '5b7c2b0e-6a0e-4c71-9b6e-0f6c1d2e3f40',
  kind: 'voucher',
  unit: 'KRW',
  title_ko: '중구사랑상품권 12월',
  title_en: 'Jung-gu vouchers, December',
  time_zone: 'Asia/Seoul',
  discount_bp: 1000,
  groups: [],
  claim_opens_at: new Date('2026-12-05T01:00:00Z'),
  claim_closes_at: new Date('2026-12-10T09:00:00Z'),
} as unknown as Campaign;
const goods = { ...voucher, kind: 'goods', unit: 'item', title_ko: '마스크', title_en: 'Masks' } as Campaign;
const places: PlaceInfo = {
  sites: new Map([['s1', { name_ko: '중앙약국', name_en: 'Central Pharmacy', address: '서울 중구 1' }]]),
  slots: new Map([
    ['t1', { starts_at: new Date('2026-12-05T01:00:00Z'), ends_at: new Date('2026-12-05T03:00:00Z') }],
  ]),
};
const KINDS: NoticeKind[] = ['result_won', 'promoted', 'pickup_reminder'];

function notice(
  c: Campaign,
  kind: NoticeKind,
  lang: 'ko' | 'en',
  channel: 'sms' | 'email',
  held = { amount: 50_000, site: '', slot: '', deadline },
) {
  const who = {
    application_id: 'a1',
    public_id: 'A-7K2M9Q',
    contact_channel: channel,
    contact_enc: encryptText(TEST_SECRETS, channel === 'sms' ? '+821055500000' : 'r@example.org', 'contact'),
    lang,
  };
  const params = {
    prize: prizeText(c, held.amount, lang),
    ...nextStep(c, places, held, lang),
    deadline: '2026-12-08 18:00 (GMT+9)',
    claim_code: 'K7M2-9QXA',
  };
  const n = awardNoticeOf(env, c, who, kind, params, 'k')!;
  return renderNotice(n);
}

for (const kind of KINDS)
  test(`${kind}: a voucher's SMS and email say the face value, the price to pay and the deadline, in both languages`, (t) => {
    const words = {
      ko: ['50,000원', '결제할 금액 45,000원(10% 할인)', '2026-12-08 18:00 (GMT+9)까지 여기서 결제하세요'],
      en: ['Pay KRW 45,000 (10% off)', 'worth KRW 50,000', 'by 2026-12-08 18:00 (GMT+9)'],
    };
    for (const lang of ['ko', 'en'] as const) {
      const page = `${env.publicUrl}/campaigns/${voucher.id}/application${lang === 'en' ? '?lang=en' : ''}`;
      const sms = notice(voucher, kind, lang, 'sms');
      for (const w of words[lang]) t.true(sms.body.includes(w), sms.body);
      t.true(sms.body.endsWith(`: ${page}`), sms.body);
      t.notRegex(sms.body, /앱|app\b|수령|[Cc]ollect|K7M2-9QXA|[Cc]ode/);
      // as many parts as the old voucher text, which said less: a Korean one holds 201 units, an English one 306
      t.like(sms.sms, lang === 'ko' ? { encoding: 'ucs2', segments: 3 } : { encoding: 'gsm7', segments: 2 });
      const email = notice(voucher, kind, lang, 'email');
      const facts =
        lang === 'ko'
          ? ['상품권: 50,000원', '결제할 금액: 45,000원 (10% 할인)', '결제 기한: 2026-12-08 18:00 (GMT+9)']
          : [
              'Vouchers worth: KRW 50,000',
              'You pay: KRW 45,000 (10% off)',
              'Pay by: 2026-12-08 18:00 (GMT+9)',
            ];
      for (const f of facts) t.true(email.body.includes(`\n${f}\n`), email.body);
      t.true(email.html!.includes(`<strong>${lang === 'ko' ? '45,000원' : 'KRW 45,000'}</strong>`));
      t.true(email.html!.includes('<strong>2026-12-08 18:00 (GMT+9)</strong>'));
      t.true(email.body.includes(`\n${page}\n`));
      t.notRegex(
        `${email.subject} ${email.body} ${email.html}`,
        /앱|in the app|수령|[Cc]ollect|K7M2-9QXA|QR/,
      );
    }
  });

test('without a discount the price is the face value and no "0% off" is said', (t) => {
  const none = { ...voucher, discount_bp: 0 } as Campaign;
  const ko = notice(none, 'result_won', 'ko', 'sms').body;
  t.true(ko.includes('결제할 금액 50,000원. '), ko);
  t.false(ko.includes('할인'));
  t.false(notice(none, 'result_won', 'en', 'email').body.includes('off'));
});

test('goods keep the place, the time and the claim code', (t) => {
  const held = { amount: 2, site: 's1', slot: 't1', deadline };
  const ko = notice(goods, 'result_won', 'ko', 'sms', held).body;
  t.regex(
    ko,
    /^\[공정 배정\] 마스크 당첨! 2개, 중앙약국 \(서울 중구 1\) 2026-12-05 10:00 ~ .* 수령번호 K7M2-9QXA /,
  );
  const en = notice(goods, 'promoted', 'en', 'email', held);
  t.regex(
    en.body,
    /\nWhere: Central Pharmacy \(서울 중구 1\)\nWhen: 2026-12-05 10:00 ~ .*\nClaim code: K7M2-9QXA\n/,
  );
  t.false(en.body.includes('Pay'));
});
