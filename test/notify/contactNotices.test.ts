// A campaign's contact in its notices: every email ends with whom to ask (plain text and HTML), in the notice's
// language, else the other one given; a cancel's SMS, whose residents have the most to ask, and an instant sale's
// turn, which sends them to buy within minutes, end with the phone number alone (each character is paid); other SMS
// and notices of campaigns without a contact read as before.
import test from 'ava';
import { awardNoticeOf } from '../../src/commands/awardNotices.js';
import { placeNotice } from '../../src/commands/instant/placeNotice.js';
import type { Campaign } from '../../src/domain/campaign.js';
import { contactParams } from '../../src/domain/contact.js';
import { encryptText } from '../../src/identity/crypto.js';
import type { NoticeKind } from '../../src/notify/notice.js';
import { REQUIRED_PARAMS, renderNotice } from '../../src/notify/render.js';
import { TEST_SECRETS } from '../helpers/app.js';
import { OFFICE_CONTACT } from '../helpers/factories.js';

const LINE = {
  ko: '중구청 일자리경제과 · 02-3396-4000 · voucher@junggu.go.kr · 평일 09:00~18:00',
  en: 'Jung-gu Office, Jobs and Economy · 02-3396-4000 · voucher@junggu.go.kr · Weekdays 09:00-18:00',
};
const LABEL = { ko: '문의:', en: 'Questions:' } as const;
/** The SMS that end with the phone: the cancels' and an instant sale's turn. */
const WITH_PHONE: NoticeKind[] = ['application_cancelled', 'queue_cancelled', 'sale_cancelled', 'queue_turn'];
const KINDS = Object.keys(REQUIRED_PARAMS) as NoticeKind[];
/** Each parameter a kind needs, as a word of its own. */
const paramsOf = (kind: NoticeKind) => Object.fromEntries(REQUIRED_PARAMS[kind].map((p) => [p, `<${p}>`]));

test("the parameters: a line in the notice's language, else the other one, and the phone; none without a contact", (t) => {
  t.deepEqual(contactParams(OFFICE_CONTACT, 'ko'), { help: LINE.ko, help_phone: '02-3396-4000' });
  t.deepEqual(contactParams(OFFICE_CONTACT, 'en'), { help: LINE.en, help_phone: '02-3396-4000' });
  t.deepEqual(contactParams({ contact_name_ko: '중구청', contact_email: 'a@junggu.go.kr' }, 'en'), {
    help: '중구청 · a@junggu.go.kr',
  });
  t.deepEqual(contactParams({ contact_name_ko: null, contact_phone: null }, 'ko'), {});
  t.deepEqual(contactParams({}, 'ko'), {});
});

for (const kind of KINDS)
  for (const lang of ['ko', 'en'] as const)
    test(`${kind} (${lang}): the email ends with whom to ask; without a contact it is as before`, (t) => {
      const params = { ...paramsOf(kind), ...contactParams(OFFICE_CONTACT, lang) };
      const email = renderNotice({ kind, channel: 'email', lang, params });
      t.true(email.body.endsWith(`\n\n${LABEL[lang]} ${LINE[lang]}\n`), email.body);
      t.true(email.html!.includes(`>${LABEL[lang]} ${LINE[lang]}</p>`), email.html!);
      const plain = renderNotice({ kind, channel: 'email', lang, params: paramsOf(kind) });
      t.false(plain.body.includes(LABEL[lang]));
      t.false(plain.html!.includes(`${LABEL[lang]} `));
      t.is(plain.body, email.body.slice(0, email.body.length - `\n${LABEL[lang]} ${LINE[lang]}\n`.length));

      const sms = renderNotice({ kind, channel: 'sms', lang, params });
      const before = renderNotice({ kind, channel: 'sms', lang, params: paramsOf(kind) });
      if (WITH_PHONE.includes(kind)) t.is(sms.body, `${before.body}\n${LABEL[lang]} 02-3396-4000`);
      else t.is(sms.body, before.body, 'other SMS stay as short as they were');
    });

test("a cancel's SMS gives the phone after the operator's note; without a phone, nothing of it", (t) => {
  const params = { ...paramsOf('application_cancelled'), note: '예산이 바뀌어 취소합니다.' };
  const sms = renderNotice({
    kind: 'application_cancelled',
    channel: 'sms',
    lang: 'ko',
    params: { ...params, ...contactParams(OFFICE_CONTACT, 'ko') },
  });
  t.true(sms.body.endsWith('\n운영 기관 안내: 예산이 바뀌어 취소합니다.\n문의: 02-3396-4000'), sms.body);
  // no phone: nothing of it
  const email = contactParams({ contact_name_ko: '중구청', contact_email: 'a@junggu.go.kr' }, 'ko');
  const without = renderNotice({
    kind: 'application_cancelled',
    channel: 'sms',
    lang: 'ko',
    params: { ...params, ...email },
  });
  t.false(without.body.includes('문의:'));
});

test("a turn's SMS with the phone is as many parts as it was without, for a title and a city's address of usual length", (t) => {
  const turn = (lang: 'ko' | 'en', contact: Record<string, string>) =>
    renderNotice({
      kind: 'queue_turn',
      channel: 'sms',
      lang,
      params: {
        campaign: lang === 'ko' ? '중구사랑상품권 12월' : 'Jung-gu vouchers, December',
        minutes: 2,
        url: `https://voucher.junggu.go.kr/campaigns/5b7c2b0e-6a0e-4c71-9b6e-0f6c1d2e3f40/queue${lang === 'en' ? '?lang=en' : ''}`,
        ...contact,
      },
    });
  const ko = turn('ko', contactParams(OFFICE_CONTACT, 'ko'));
  t.true(ko.body.endsWith('/queue\n문의: 02-3396-4000'), ko.body);
  // two Korean (UCS-2) parts hold 134 characters: the Korean text made room for the phone
  t.like(ko.sms, { encoding: 'ucs2', segments: 2 });
  t.like(turn('ko', {}).sms, { encoding: 'ucs2', segments: 2 });
  // the English one was at a part's edge already (160 GSM-7 characters); two hold 306
  const en = turn('en', contactParams(OFFICE_CONTACT, 'en'));
  t.true(en.body.endsWith('?lang=en\nQuestions: 02-3396-4000'), en.body);
  t.like(en.sms, { encoding: 'gsm7', segments: 2 });
  t.like(turn('en', {}).sms, { encoding: 'gsm7', segments: 2 });
});

const env = { secrets: TEST_SECRETS, publicUrl: 'https://city.example' };
const campaign = {
  id: '5b7c2b0e-6a0e-4c71-9b6e-0f6c1d2e3f40',
  title_ko: '12월 상품권',
  title_en: 'December vouchers',
  ...OFFICE_CONTACT,
} as unknown as Campaign;

test("notices of awards, cancels and an instant sale carry the campaign's contact in the reader's language", (t) => {
  for (const lang of ['ko', 'en'] as const) {
    const who = {
      application_id: 'a1',
      public_id: 'A-7K2M9Q',
      contact_channel: 'email' as const,
      contact_enc: encryptText(TEST_SECRETS, 'resident@example.org', 'contact'),
      lang,
    };
    const lost = awardNoticeOf(env, campaign, who, 'result_lost', {}, 'k1')!;
    t.like(lost.params, { help: LINE[lang], help_phone: '02-3396-4000' });
    const cancelled = placeNotice(env, campaign, who, 'resident@example.org', {
      kind: 'queue_cancelled',
      dedupeKey: 'k2',
    });
    t.like(cancelled.params, { help: LINE[lang] });
  }
  const none = {
    ...campaign,
    contact_name_ko: null,
    contact_name_en: null,
    contact_phone: null,
    contact_email: null,
  };
  const who = {
    application_id: 'a1',
    public_id: 'A-1',
    contact_channel: 'sms' as const,
    contact_enc: encryptText(TEST_SECRETS, '+821055500000', 'contact'),
    lang: 'ko',
  };
  t.false('help' in awardNoticeOf(env, none, who, 'result_lost', {}, 'k3')!.params);
});
