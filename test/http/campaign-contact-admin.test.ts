// The campaign's contact (문의처) in the admin pages: the campaign form (create, edit, both languages) and the
// overview, which shows it and has its own box to set it in any state. A fault is worded on its field in the page's
// language, what was typed comes back, and nothing is saved.
import test from 'ava';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { type CookieSession, signInWithForm } from '../helpers/browserSession.js';
import { createdVoucherCampaign, OFFICE_CONTACT, VOUCHER_FORM_FIELDS } from '../helpers/factories.js';
import { fieldError } from '../helpers/fieldError.js';
import { openWindow } from '../helpers/intake.js';

let app: TestApp;
let admin: CookieSession;
let auditor: CookieSession;
let apiAdmin: StaffAuth;

test.before(async () => {
  app = await startTestApp(); // 2026-12-01 00:00 KST
  apiAdmin = await app.staff('admin');
  admin = await signInWithForm(app, 'admin');
  auditor = await signInWithForm(app, 'auditor');
});
test.after.always(async () => {
  await app?.close();
});

let codes = 0;
/** A voucher campaign as the admin form sends it, with the contact fields. */
const campaignForm = (contact: Record<string, string> = OFFICE_CONTACT): Record<string, string> => ({
  ...VOUCHER_FORM_FIELDS,
  code: `CONTACT${++codes}`,
  ...contact,
});
const idFrom = (location: string | null) => /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(location ?? '')?.[1];
const countCampaigns = async () => Number((await app.db('campaigns').count('* as n').first())?.n);
const rowOf = (id: string) => app.db('campaigns').where({ id }).first();
/** The words shown under a field, or a marker when there are none. */
const shownValue = (page: string, field: string) =>
  new RegExp(`name="${field}" [^>]*value="([^"]*)"`).exec(page)?.[1] ?? '(no field)';

test.serial('the campaign form has the contact, labelled in Korean and in English', async (t) => {
  const ko = await admin.get('/admin/campaigns/new');
  t.is(ko.status, 200);
  t.regex(ko.text, /<legend>문의처<\/legend>/);
  t.regex(ko.text, /<label for="f-contact_name_ko">문의처 이름 \(한국어\)<\/label>/);
  t.regex(ko.text, /<label for="f-contact_phone">문의 전화<\/label>/);
  t.regex(ko.text, /id="f-contact_phone" name="contact_phone" type="tel"/);
  t.regex(ko.text, /id="f-contact_email" name="contact_email" type="email"/);
  for (const f of Object.keys(OFFICE_CONTACT)) t.is(shownValue(ko.text, f), '', f);
  const en = await admin.get('/admin/campaigns/new?lang=en');
  t.regex(en.text, /<legend>Contact for residents<\/legend>/);
  t.regex(en.text, /<label for="f-contact_hours_en">Contact hours \(English\)<\/label>/);
});

test.serial(
  'a campaign made with the form keeps its contact; edit shows it and saves a change',
  async (t) => {
    const res = await admin.post('/admin/campaigns/new', campaignForm());
    t.is(res.status, 303, res.text);
    const id = idFrom(res.headers.get('location'))!;
    t.like(await rowOf(id), OFFICE_CONTACT);

    const edit = await admin.get(`/admin/campaigns/${id}/edit`);
    for (const [f, v] of Object.entries(OFFICE_CONTACT)) t.is(shownValue(edit.text, f), v, f);
    const version = String((await rowOf(id)).version);
    const changed = await admin.post(`/admin/campaigns/${id}/edit`, {
      ...campaignForm({ ...OFFICE_CONTACT, contact_phone: '120', contact_email: '', contact_hours_en: '' }),
      code: (await rowOf(id)).code,
      version,
    });
    t.is(changed.status, 303, changed.text.slice(0, 500));
    t.like(await rowOf(id), {
      contact_name_ko: OFFICE_CONTACT.contact_name_ko,
      contact_phone: '120',
      contact_email: null,
      contact_hours_en: null,
    });
    // the overview says what residents are shown, blanks named as such
    const overview = await admin.get(`/admin/campaigns/${id}`);
    const facts = overview.text.slice(overview.text.indexOf('id="contact-facts"'));
    t.regex(facts, /^[\s\S]*?문의 전화<\/dt><dd><span>120<\/span>/);
    t.regex(facts, /^[\s\S]*?문의 이메일<\/dt><dd><span class="hint">\(없음\)<\/span>/);
    t.regex(
      facts,
      /^[\s\S]*?문의 가능 시간 \(영어\)<\/dt><dd><span class="hint">\(없음: 다른 언어로 적은 것이 나갑니다\)/,
    );
    t.notRegex(overview.text, /id="no-contact"/);
  },
);

test.serial(
  'a bad contact on the form is named on its field in Korean or English, and nothing is saved',
  async (t) => {
    const before = await countCampaigns();
    const form = campaignForm({
      contact_hours_ko: '평일 09:00~18:00',
      contact_phone: '02-CALL-US',
      contact_email: 'x@',
    });
    const ko = await admin.post('/admin/campaigns/new', form);
    t.is(ko.status, 422);
    t.is(
      fieldError(ko.text, 'contact_name_ko'),
      '문의처를 적을 때는 담당 기관(부서) 이름을 한국어나 영어로 적어 주세요.',
    );
    t.is(fieldError(ko.text, 'contact_phone'), '숫자, 빈칸, +, ( ), -만 쓸 수 있습니다 (예: 02-123-4567).');
    t.is(fieldError(ko.text, 'contact_email'), '이메일 주소를 적어 주세요 (예: voucher@junggu.go.kr).');
    t.regex(ko.text, /<a href="#f-contact_phone">문의 전화<\/a>: 숫자, 빈칸/, 'the summary names the field');
    t.is(shownValue(ko.text, 'contact_phone'), '02-CALL-US', 'what was typed comes back');
    t.is(shownValue(ko.text, 'contact_hours_ko'), '평일 09:00~18:00');
    const en = await admin.post('/admin/campaigns/new?lang=en', { ...form, contact_phone: '12' });
    t.is(en.status, 422);
    t.is(fieldError(en.text, 'contact_phone'), '3 to 15 digits, e.g. 02-123-4567 or 120');
    t.is(
      fieldError(en.text, 'contact_name_ko'),
      'Name the office residents should ask, in Korean or English',
    );
    t.is(await countCampaigns(), before);
  },
);

test.serial(
  "the overview's own box sets the contact of an open campaign; refused, it opens again with the faults",
  async (t) => {
    const { id } = await createdVoucherCampaign(app, apiAdmin);
    await openWindow(app, id);
    const none = await admin.get(`/admin/campaigns/${id}`);
    t.regex(none.text, /id="no-contact">문의처가 없습니다/);
    t.regex(none.text, /<details class="edit-box" id="contact-box">\s*<summary>문의처 적기<\/summary>/);
    t.notRegex(
      none.text,
      new RegExp(`href="/admin/campaigns/${id}/edit"`),
      'the campaign itself is past editing',
    );

    const before = await rowOf(id);
    const refused = await admin.post(`/admin/campaigns/${id}/contact`, {
      contact_name_ko: '중구청',
      contact_phone: '',
      contact_email: 'junggu',
    });
    t.is(refused.status, 422);
    t.regex(refused.text, /<details class="edit-box" id="contact-box" open>/);
    t.is(fieldError(refused.text, 'contact_email'), '이메일 주소를 적어 주세요 (예: voucher@junggu.go.kr).');
    t.is(shownValue(refused.text, 'contact_email'), 'junggu');
    t.is(shownValue(refused.text, 'contact_name_ko'), '중구청');
    t.like(await rowOf(id), { version: before.version, contact_name_ko: null });

    const saved = await admin.post(`/admin/campaigns/${id}/contact`, OFFICE_CONTACT);
    t.is(saved.status, 303);
    t.is(saved.headers.get('location'), `/admin/campaigns/${id}?done=contact`);
    t.like(await rowOf(id), { ...OFFICE_CONTACT, state: 'open', rules_version: before.rules_version });
    const after = await admin.get(`/admin/campaigns/${id}?done=contact`);
    t.regex(after.text, /문의처를 저장했습니다/);
    t.regex(after.text, /<summary>문의처 바꾸기<\/summary>/);
    t.true(after.text.includes(`<span lang="ko">${OFFICE_CONTACT.contact_name_ko}</span>`));
    t.regex(after.text, /campaign\.contact_changed/);
    t.is(
      shownValue(after.text, 'contact_phone'),
      OFFICE_CONTACT.contact_phone,
      'the box holds what is stored',
    );

    // an auditor reads it, and cannot change it
    const seen = await auditor.get(`/admin/campaigns/${id}`);
    t.true(seen.text.includes(OFFICE_CONTACT.contact_phone));
    t.notRegex(seen.text, /id="contact-box"/);
    t.is((await auditor.post(`/admin/campaigns/${id}/contact`, { contact_phone: '' })).status, 403);
    t.is((await rowOf(id)).contact_phone, OFFICE_CONTACT.contact_phone);
  },
);
