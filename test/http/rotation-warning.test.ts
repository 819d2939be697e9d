// The admin form and overview warn when the birth-year weekday rule (출생연도 5부제) and the application window do not
// fit: who has no day in the window, who has less than one, and when. A warning: the campaign still saves. The hint
// says what the rule does (the days people apply on, not a collection day). An instant sale's overview and form say
// it, and its eligibility, in the sale's words (buy, the sale period, 구매 자격); a lottery's keep theirs.
import test from 'ava';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type CookieSession, signInWithForm } from '../helpers/browserSession.js';
import { VOUCHER_FORM_FIELDS } from '../helpers/factories.js';

let app: TestApp;
let admin: CookieSession;
test.before(async () => {
  app = await startTestApp(); // 2026-12-01 00:00 KST
  admin = await signInWithForm(app, 'admin');
});
test.after.always(async () => {
  await app?.close();
});

let n = 0;
/** Wednesday 2 December 09:00 to Friday 4 December 18:00 (Seoul), unless overridden. */
const form = (overrides: Record<string, string> = {}) => ({
  code: `ROT${++n}`,
  ...VOUCHER_FORM_FIELDS,
  birth_year_rotation: 'on',
  ...overrides,
});

const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const KO_LINES = [
  '출생연도 5부제와 신청 기간이 맞지 않습니다',
  '출생연도 끝자리 1 또는 6: 신청 기간에 월요일도 주말도 없어 신청할 수 없습니다.',
  '출생연도 끝자리 2 또는 7: 신청 기간에 화요일도 주말도 없어 신청할 수 없습니다.',
  '출생연도 끝자리 3 또는 8: 신청할 수 있는 시간이 15시간뿐입니다(12월 2일(수) 09:00부터 24:00까지).',
  '출생연도 끝자리 5 또는 0: 신청할 수 있는 시간이 18시간뿐입니다(12월 4일(금) 00:00부터 18:00까지).',
];

test('a short window saves, and the overview and the edit form say whom the rule leaves without a day', async (t) => {
  const res = await admin.post('/admin/campaigns/new', form());
  t.is(res.status, 303, 'a warning, not a refusal');
  const id = /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')?.[1];
  const overview = text((await admin.get(`/admin/campaigns/${id}`)).text);
  for (const line of KO_LINES) t.true(overview.includes(line), line);
  t.false(overview.includes('끝자리 4 또는 9'), 'Thursday is whole');
  const edit = text((await admin.get(`/admin/campaigns/${id}/edit`)).text);
  for (const line of KO_LINES) t.true(edit.includes(line), `edit: ${line}`);
  const en = text((await admin.get(`/admin/campaigns/${id}?lang=en`)).text);
  t.true(en.includes('The birth-year weekday rule and the application window do not fit'), en);
  t.true(
    en.includes(
      'Birth years ending in 1 or 6: the window holds no Monday and no weekend, so they cannot apply.',
    ),
  );
  t.true(
    en.includes(
      'Birth years ending in 3 or 8: only 15 hours to apply (Wednesday 2 December, 09:00 to 24:00).',
    ),
  );
});

/** The same short window, as an instant sale: no draw, no collection window. */
const saleForm = (overrides: Record<string, string> = {}) =>
  form({
    mode: 'instant',
    draw_at: '',
    claim_opens_at: '',
    claim_closes_at: '',
    partial: '',
    unclaimed_policy: '',
    ...overrides,
  });

const SALE_KO_LINES = [
  '출생연도 5부제와 판매 기간이 맞지 않습니다',
  '출생연도 끝자리 1 또는 6: 판매 기간에 월요일도 주말도 없어 구매할 수 없습니다.',
  '출생연도 끝자리 3 또는 8: 구매할 수 있는 시간이 15시간뿐입니다(12월 2일(수) 09:00부터 24:00까지).',
];

const SALE_EN_LINES = [
  'The birth-year weekday rule and the sale period do not fit',
  'Birth years ending in 1 or 6: the sale period holds no Monday and no weekend, so they cannot buy.',
  'Birth years ending in 3 or 8: only 15 hours to buy in (Wednesday 2 December, 09:00 to 24:00).',
];

test('a sale’s overview and form warn in a sale’s words, and its eligibility reads as buying; a lottery’s as applying', async (t) => {
  const res = await admin.post('/admin/campaigns/new', saleForm());
  t.is(res.status, 303, res.text.slice(0, 500));
  const id = /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')?.[1];
  const overview = text((await admin.get(`/admin/campaigns/${id}`)).text);
  for (const line of SALE_KO_LINES) t.true(overview.includes(line), line);
  t.true(overview.includes('판매 기간에 주말을 넣거나'), 'the advice, for a sale');
  t.true(overview.includes('구매 자격'), overview);
  t.true(overview.includes('주말에는 누구나 구매할 수 있습니다'), 'the sale’s 5부제 sentence');
  t.true(overview.includes('판매 기간 2026'), 'the sale period');
  for (const lottery of ['신청 자격', '신청할 수', '신청 기간', '신청자'])
    t.false(overview.includes(lottery), `no ${lottery} on a sale’s overview`);
  const edit = text((await admin.get(`/admin/campaigns/${id}/edit`)).text);
  for (const line of SALE_KO_LINES) t.true(edit.includes(line), `edit: ${line}`);
  const again = text((await admin.post('/admin/campaigns/new', saleForm({ title_ko: '' }))).text);
  for (const line of SALE_KO_LINES) t.true(again.includes(line), `form again: ${line}`);

  const en = text((await admin.get(`/admin/campaigns/${id}?lang=en`)).text);
  for (const line of SALE_EN_LINES) t.true(en.includes(line), line);
  t.true(en.includes('Who can buy'));
  t.true(en.includes('At weekends anyone may buy.'));
  for (const lottery of [
    'Who can apply',
    'Application window',
    'to apply',
    'cannot apply',
    'anyone may apply',
  ])
    t.false(en.includes(lottery), `no ${lottery} on a sale’s overview`);

  const lottery = await admin.post('/admin/campaigns/new', form());
  const lotteryId = /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(lottery.headers.get('location') ?? '')?.[1];
  const lotteryPage = text((await admin.get(`/admin/campaigns/${lotteryId}`)).text);
  t.true(lotteryPage.includes('신청 자격'));
  t.true(lotteryPage.includes('주말에는 누구나 신청할 수 있습니다'));
  t.true(lotteryPage.includes('출생연도 5부제와 신청 기간이 맞지 않습니다'));
  t.false(lotteryPage.includes('구매 자격'));
});

test('the form shown again after a fault warns on the values as typed', async (t) => {
  const res = await admin.post('/admin/campaigns/new', form({ title_ko: '' }));
  t.is(res.status, 422);
  const page = text(res.text);
  for (const line of KO_LINES) t.true(page.includes(line), line);
});

test('no warning when every birth year has a day: a weekend in the window, Monday to Friday whole, or no rule', async (t) => {
  for (const [label, overrides] of [
    ['a week and more', { closes_at: '2026-12-09T18:00' }],
    [
      'Friday to Monday: the weekend is anyone’s',
      { opens_at: '2026-12-04T09:00', closes_at: '2026-12-07T09:00' },
    ],
    [
      'Monday to Friday whole',
      {
        opens_at: '2026-12-07T00:00',
        closes_at: '2026-12-12T00:00',
        draw_at: '2026-12-12T01:00',
        claim_opens_at: '2026-12-13T09:00',
      },
    ],
    ['the rule off', { birth_year_rotation: '' }],
  ] as const) {
    const res = await admin.post('/admin/campaigns/new', form({ ...overrides, title_ko: '' }));
    t.is(res.status, 422, label);
    t.notRegex(res.text, /id="rotation-warning"/, label);
  }
});

test('the hint says the rule splits the days people apply on, not a collection day', async (t) => {
  const ko = text((await admin.get('/admin/campaigns/new')).text);
  t.true(ko.includes('신청할 수 있는 요일을 나눕니다(수령 요일이 아닙니다).'), ko);
  t.false(ko.includes('수령 요일을 나눕니다'));
  const en = text((await admin.get('/admin/campaigns/new?lang=en')).text);
  t.true(en.includes('Splits the days people may apply on (not the collection days).'));
  t.notRegex((await admin.get('/admin/campaigns/new')).text, /id="rotation-warning"/, 'nothing ticked yet');
});
