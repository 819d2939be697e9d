// A campaign's own contact (문의처) over the API: given with the campaign (create, replace) or on its own in any
// state; each fault a catalogue key on its field, in English in `fields`, and nothing stored; shown by the admin and
// public campaign reads and by the resident's own application read (a cancelled campaign's page is not public).
import test from 'ava';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { buildVoucherCampaign, createdVoucherCampaign, OFFICE_CONTACT } from '../helpers/factories.js';
import { appliedResident, openWindow, ROOMY_LIMITS } from '../helpers/intake.js';

let app: TestApp;
let admin: StaffAuth;

test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS, rulesTtlMs: 0 } });
  admin = await app.staff('admin');
});
test.after.always(async () => {
  await app?.close();
});

/** OFFICE_CONTACT as the API shows it. */
const SHOWN = {
  name: { ko: OFFICE_CONTACT.contact_name_ko, en: OFFICE_CONTACT.contact_name_en },
  phone: OFFICE_CONTACT.contact_phone,
  email: OFFICE_CONTACT.contact_email,
  hours: { ko: OFFICE_CONTACT.contact_hours_ko, en: OFFICE_CONTACT.contact_hours_en },
};
const counts = async () => ({
  campaigns: Number((await app.db('campaigns').count('* as n').first())?.n),
  audit: Number((await app.db('audit_log').count('* as n').first())?.n),
});
const rowOf = (id: string) => app.db('campaigns').where({ id }).first();

const created = (overrides: Record<string, unknown> = {}) => createdVoucherCampaign(app, admin, overrides);

test.serial('a campaign created with a contact shows it in the admin and the public reads', async (t) => {
  const c = await created(OFFICE_CONTACT);
  t.deepEqual(c.contact, SHOWN);
  t.like(await rowOf(c.id), OFFICE_CONTACT);
  t.deepEqual(
    (await app.request('GET', `/api/admin/campaigns/${c.id}`, { as: admin })).json.campaign.contact,
    SHOWN,
  );
  t.is(
    (await app.request('POST', `/api/admin/campaigns/${c.id}/schedule`, { as: admin, json: {} })).status,
    200,
  );
  const pub = await app.request('GET', `/api/campaigns/${c.id}`);
  t.deepEqual(pub.json.campaign.contact, SHOWN);
  const list = await app.request('GET', '/api/campaigns');
  t.deepEqual(list.json.campaigns.find((x: { id: string }) => x.id === c.id).contact, SHOWN);
});

test.serial('without a contact a campaign reads contact: null, and stores none', async (t) => {
  const c = await created();
  t.is(c.contact, null);
  t.like(await rowOf(c.id), {
    contact_name_ko: null,
    contact_name_en: null,
    contact_phone: null,
    contact_email: null,
    contact_hours_ko: null,
    contact_hours_en: null,
  });
});

test.serial('blank parts are none, one language is enough, and lines are joined', async (t) => {
  const c = await created({
    contact_name_ko: '  중구청\n 일자리경제과 ',
    contact_name_en: '',
    contact_phone: '120',
    contact_email: '   ',
    contact_hours_ko: null,
  });
  t.deepEqual(c.contact, {
    name: { ko: '중구청 일자리경제과', en: null },
    phone: '120',
    email: null,
    hours: { ko: null, en: null },
  });
  t.like(await rowOf(c.id), { contact_name_en: null, contact_email: null });
});

const bad: Array<[string, Record<string, unknown>, Record<string, string>]> = [
  [
    'a phone with letters',
    { ...OFFICE_CONTACT, contact_phone: '02-CALL-US' },
    { contact_phone: 'Digits, spaces, +, ( ) and - only, e.g. 02-123-4567' },
  ],
  [
    'a phone of too few digits',
    { ...OFFICE_CONTACT, contact_phone: '1-2' },
    { contact_phone: '3 to 15 digits, e.g. 02-123-4567 or 120' },
  ],
  [
    'a phone of too many digits',
    { ...OFFICE_CONTACT, contact_phone: '+82 10 1234 5678 9012' },
    { contact_phone: '3 to 15 digits, e.g. 02-123-4567 or 120' },
  ],
  [
    'an email that is not one',
    { ...OFFICE_CONTACT, contact_email: 'voucher@junggu' },
    { contact_email: 'An email address, e.g. voucher@junggu.go.kr' },
  ],
  [
    'a name too long',
    { ...OFFICE_CONTACT, contact_name_en: 'x'.repeat(101) },
    { contact_name_en: 'At most 100 characters' },
  ],
  [
    'hours with a text-direction control',
    { ...OFFICE_CONTACT, contact_hours_en: 'Weekdays \u202E81-90' },
    { contact_hours_en: 'Contains a text-direction control character (U+202A-202E, U+2066-2069)' },
  ],
  [
    'hours alone: nobody named, no way to reach them',
    { contact_hours_ko: '평일 09:00~18:00' },
    {
      contact_name_ko: 'Name the office residents should ask, in Korean or English',
      contact_phone: 'Give a phone number or an email address to reach the office',
    },
  ],
  [
    'a name without a phone or an email',
    { contact_name_ko: '중구청 일자리경제과' },
    { contact_phone: 'Give a phone number or an email address to reach the office' },
  ],
];

for (const [name, contact, fields] of bad) {
  test.serial(`refused: ${name}; each fault on its field, nothing created`, async (t) => {
    const before = await counts();
    const res = await app.request('POST', '/api/admin/campaigns', {
      as: admin,
      json: buildVoucherCampaign(app.clock.now(), contact),
    });
    t.is(res.status, 422, res.text);
    t.is(res.json.error.code, 'validation_failed');
    t.deepEqual(res.json.error.fields, fields);
    t.deepEqual(await counts(), before);
  });
}

test.serial('a bad contact is named with every other fault of the same request', async (t) => {
  const res = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: buildVoucherCampaign(app.clock.now(), {
      opens_at: 'next tuesday',
      contact_phone: 'call us',
      contact_email: 'nope',
    }),
  });
  t.is(res.status, 422);
  t.deepEqual(Object.keys(res.json.error.fields).sort(), [
    'contact_email',
    'contact_name_ko',
    'contact_phone',
    'opens_at',
  ]);
});

test.serial(
  'a replace sets the contact with the rest; a bad one leaves the stored one as it was',
  async (t) => {
    const c = await created(OFFICE_CONTACT);
    const body = { ...buildVoucherCampaign(app.clock.now()), ...OFFICE_CONTACT, version: c.version };
    const refused = await app.request('PUT', `/api/admin/campaigns/${c.id}`, {
      as: admin,
      json: { ...body, contact_email: 'voucher at junggu', contact_phone: '' },
    });
    t.is(refused.status, 422);
    t.deepEqual(refused.json.error.fields, { contact_email: 'An email address, e.g. voucher@junggu.go.kr' });
    const still = await rowOf(c.id);
    t.like(still, { ...OFFICE_CONTACT, version: c.version });

    const ok = await app.request('PUT', `/api/admin/campaigns/${c.id}`, {
      as: admin,
      json: { ...body, contact_phone: '02-3396-4001', contact_hours_en: '' },
    });
    t.is(ok.status, 200, ok.text);
    t.deepEqual(ok.json.campaign.contact, {
      ...SHOWN,
      phone: '02-3396-4001',
      hours: { ko: SHOWN.hours.ko, en: null },
    });
    // a replace is the whole campaign: one that leaves the contact out has none
    const without = { ...buildVoucherCampaign(app.clock.now()), version: ok.json.campaign.version };
    const cleared = await app.request('PUT', `/api/admin/campaigns/${c.id}`, { as: admin, json: without });
    t.is(cleared.json.campaign.contact, null);
  },
);

test.serial(
  'the contact alone changes in any state, audited, with a new version but the same rules',
  async (t) => {
    const c = await created();
    await openWindow(app, c.id);
    const open = await rowOf(c.id);
    const res = await app.request('PUT', `/api/admin/campaigns/${c.id}/contact`, {
      as: admin,
      json: OFFICE_CONTACT,
    });
    t.is(res.status, 200, res.text);
    t.deepEqual(res.json.campaign.contact, SHOWN);
    const after = await rowOf(c.id);
    t.like(after, { ...OFFICE_CONTACT, state: 'open', rules_version: open.rules_version });
    t.is(after.version, open.version + 1);
    const audit = await app
      .db('audit_log')
      .where({ subject: `campaign:${c.id}` })
      .orderBy('seq', 'desc')
      .first();
    t.is(audit.action, 'campaign.contact_changed');
    t.like(audit.data, { contact_phone: OFFICE_CONTACT.contact_phone, version: after.version });

    // refused: every fault named, the contact as it was
    const before = await counts();
    const refused = await app.request('PUT', `/api/admin/campaigns/${c.id}/contact`, {
      as: admin,
      json: { contact_hours_ko: '평일', contact_phone: 'x' },
    });
    t.is(refused.status, 422);
    t.deepEqual(refused.json.error.fields, {
      contact_name_ko: 'Name the office residents should ask, in Korean or English',
      contact_phone: 'Digits, spaces, +, ( ) and - only, e.g. 02-123-4567',
    });
    t.deepEqual(await counts(), before);
    t.like(await rowOf(c.id), { ...OFFICE_CONTACT, version: after.version });

    // a cancelled campaign, whose residents need it most: set, then cleared (all blank is none)
    t.is(
      (await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, { as: admin, json: {} })).status,
      200,
    );
    const phone = await app.request('PUT', `/api/admin/campaigns/${c.id}/contact`, {
      as: admin,
      json: { contact_name_en: 'Jung-gu Office', contact_phone: '+82 2 3396 4000' },
    });
    t.is(phone.status, 200, phone.text);
    t.deepEqual(phone.json.campaign.contact, {
      name: { ko: null, en: 'Jung-gu Office' },
      phone: '+82 2 3396 4000',
      email: null,
      hours: { ko: null, en: null },
    });
    const none = await app.request('PUT', `/api/admin/campaigns/${c.id}/contact`, { as: admin, json: {} });
    t.is(none.json.campaign.contact, null);
    t.is((await rowOf(c.id)).state, 'cancelled');
  },
);

test.serial('only an admin sets a contact, of a campaign that exists', async (t) => {
  const c = await created();
  const auditor = await app.staff('auditor');
  const res = await app.request('PUT', `/api/admin/campaigns/${c.id}/contact`, {
    as: auditor,
    json: OFFICE_CONTACT,
  });
  t.is(res.status, 403);
  t.is((await rowOf(c.id)).contact_phone, null);
  const unknown = await app.request(
    'PUT',
    '/api/admin/campaigns/00000000-0000-4000-8000-000000000000/contact',
    {
      as: admin,
      json: OFFICE_CONTACT,
    },
  );
  t.is(unknown.status, 404);
});

test.serial(
  "the resident's own application read names whom to ask, before the draw and once cancelled",
  async (t) => {
    const c = await created(OFFICE_CONTACT);
    await openWindow(app, c.id);
    const person = await appliedResident(app, c.id);
    const mine = await app.request('GET', `/api/campaigns/${c.id}/application`, { headers: person.headers });
    t.is(mine.status, 200, mine.text);
    t.deepEqual(mine.json.contact, SHOWN);
    await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, { as: admin, json: {} });
    const cancelled = await app.request('GET', `/api/campaigns/${c.id}/application`, {
      headers: person.headers,
    });
    t.like(cancelled.json, { cancelled: true, contact: SHOWN });
    t.is((await app.request('GET', `/api/campaigns/${c.id}`)).status, 404, 'its public read is gone');
  },
);
