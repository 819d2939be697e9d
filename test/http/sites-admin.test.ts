// Sites that staff can run: a site's phone, hours and map position; its staff accounts (added with a one-time
// link that signs in, disabled so it no longer does); and CSV imports of sites and of a campaign's slots, where
// any bad row is reported with its line and nothing is imported.
import test from 'ava';
import { addStaff } from '../../src/commands/staffAccounts.js';
import { DomainError } from '../../src/domain/errors.js';
import { answerFor } from '../../src/http/errors.js';
import { fieldMessages } from '../../src/http/problems.js';
import { translator } from '../../src/i18n/catalogue.js';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { type CookieSession, signInWithForm } from '../helpers/browserSession.js';
import { buildGoodsCampaign, buildVoucherCampaign } from '../helpers/factories.js';

let app: TestApp;
let admin: CookieSession;
let apiAdmin: StaffAuth;

test.before(async () => {
  app = await startTestApp();
  apiAdmin = await app.staff('admin');
  await app.request('PUT', '/api/admin/sites/SA-1', {
    as: apiAdmin,
    json: { name_ko: '가나약국', name_en: 'Gana Pharmacy', district: '중구' },
  });
  admin = await signInWithForm(app, 'admin');
});
test.after.always(async () => {
  await app?.close();
});

const countSites = async () => Number((await app.db('sites').count('* as n').first())?.n);

test.serial(
  'a site keeps its phone, opening hours and coordinates; half a position is a field error',
  async (t) => {
    const form = {
      name_ko: '가나약국',
      name_en: 'Gana Pharmacy',
      district: '중구',
      address: '서울 중구 세종대로 1',
      phone: '02-123-4567',
      hours_ko: '평일 09:00-18:00',
      hours_en: 'Weekdays 09:00-18:00',
      lat: '37.5636',
      lng: '',
    };
    const half = await admin.post('/admin/sites/SA-1/edit', form);
    t.is(half.status, 422);
    t.regex(half.text, /id="f-lng-error">위도와 경도를 함께 적거나 둘 다 비워 주세요./);
    t.is((await app.db('sites').where({ id: 'SA-1' }).first()).phone, '');
    const ok = await admin.post('/admin/sites/SA-1/edit', { ...form, lng: '126.9976' });
    t.is(ok.status, 303, ok.text);
    const row = await app.db('sites').where({ id: 'SA-1' }).first();
    t.like(row, { phone: '02-123-4567', hours_ko: '평일 09:00-18:00', lat: 37.5636, lng: 126.9976 });
    const edit = await admin.get('/admin/sites/SA-1/edit?lang=en');
    t.regex(edit.text, /name="hours_en" type="text" value="Weekdays 09:00-18:00"/);
    t.regex(edit.text, /name="lat" type="text" value="37.5636"/);
    const list = await admin.get('/admin/sites');
    t.regex(list.text, /<td>02-123-4567<\/td>/);
    t.regex(list.text, /href="\/admin\/sites\/SA-1\/staff"/);
  },
);

test.serial(
  'an admin adds a site staff member whose one-time link signs in, then disables them',
  async (t) => {
    const bad = await admin.post('/admin/sites/SA-1/staff', { email: 'not an email', password: 'short' });
    t.is(bad.status, 422);
    t.regex(bad.text, /id="f-email-error"/);
    t.regex(bad.text, /id="f-password-error">12자 이상으로 적거나 비워 두세요./);
    const added = await admin.post('/admin/sites/SA-1/staff', {
      email: 'pharmacist@sa1.example',
      password: '',
    });
    t.is(added.status, 201, added.text);
    const link = /(http:\/\/127\.0\.0\.1\/staff\/login\/[\w-]+)/.exec(added.text)?.[1];
    t.truthy(link, 'the one-time link is shown');
    const staff = await app.db('staff').where({ email: 'pharmacist@sa1.example' }).first();
    t.like(staff, { role: 'site_staff', site_id: 'SA-1', password_hash: null });
    t.regex(added.text, /pharmacist@sa1\.example/);
    const signIn = await app.request('GET', new URL(link!).pathname, { headers: { accept: 'text/html' } });
    t.is(signIn.status, 302, 'the link signs the pharmacist in');
    t.truthy(signIn.headers.get('set-cookie'));
    // Once only; a made-up link signs nobody in either.
    for (const path of [new URL(link!).pathname, '/staff/login/not-a-link-anyone-was-given']) {
      const refused = await app.request('GET', path, { headers: { accept: 'text/html' } });
      t.is(refused.status, 401, path);
      t.is(refused.headers.get('set-cookie'), null, path);
    }

    const dup = await admin.post('/admin/sites/SA-1/staff', { email: 'PHARMACIST@sa1.example' });
    t.is(dup.status, 409);
    t.regex(dup.text, /id="f-email-error">이미 등록된 이메일입니다./);

    const disabled = await admin.post(`/admin/sites/SA-1/staff/${staff.id}/disable`, {});
    t.is(disabled.status, 303);
    t.truthy((await app.db('staff').where({ id: staff.id }).first()).disabled_at);
    const after = await admin.get(disabled.headers.get('location')!);
    t.regex(after.text, /사용 중지됨/);
    t.true(after.text.includes('계정을 사용 중지했습니다'), 'the page says it was done');

    // Given a password, the new member signs in with it at once.
    const password = 'correct horse battery staple';
    const withPassword = await admin.post('/admin/sites/SA-1/staff', {
      email: 'second@sa1.example',
      password,
    });
    t.is(withPassword.status, 201, withPassword.text.slice(0, 300));
    const login = await app.request('POST', '/staff/login', {
      form: { email: 'second@sa1.example', password },
      headers: { accept: 'text/html' },
    });
    t.is(login.status, 302, 'signed in with the password the admin set');
  },
);

test.serial(
  "a staff account's site faults are keyed: the page's language on a page, English for the API and the CLI",
  async (t) => {
    const staffCount = async () => Number((await app.db('staff').count('* as n').first())?.n);
    const before = await staffCount();
    const add = (role: 'site_staff' | 'admin', site_id?: string) =>
      t.throwsAsync(
        addStaff(
          { db: app.db, clock: app.clock },
          { kind: 'system', name: 'test' },
          {
            email: `keyed-${role}-${site_id ?? 'none'}@sa1.example`,
            role,
            site_id,
          },
        ),
        { instanceOf: DomainError },
      );
    const cases: Array<[DomainError, string, string]> = [
      [
        await add('site_staff'),
        '수령처 직원은 수령처 한 곳에 속하고, 관리자와 감사자는 수령처 없이 등록합니다.',
        'Site staff are bound to exactly one site; admins and auditors to none',
      ],
      [
        await add('admin', 'SA-1'),
        '수령처 직원은 수령처 한 곳에 속하고, 관리자와 감사자는 수령처 없이 등록합니다.',
        'Site staff are bound to exactly one site; admins and auditors to none',
      ],
      [await add('site_staff', 'NOPE-9'), '등록되지 않은 수령처입니다: NOPE-9', 'Unknown site NOPE-9'],
    ];
    for (const [err, ko, en] of cases) {
      t.deepEqual(fieldMessages(err, translator('ko'), 'ko'), { site_id: ko });
      t.deepEqual(fieldMessages(err, translator('en'), 'en'), { site_id: en });
      t.deepEqual(answerFor(err).shown.fields, { site_id: en }, 'the API as before');
    }
    t.is(await staffCount(), before, 'nobody added');
  },
);

test.serial('a sites CSV with bad rows imports nothing and names each bad line', async (t) => {
  const before = await countSites();
  const csv = [
    'id,name_ko,name_en,district,address,phone,hours_ko,hours_en,lat,lng',
    'CSV-1,하나약국,Hana Pharmacy,중구,서울 중구 1,02-111-1111,평일 9-6,Weekdays 9-6,37.56,126.99',
    'bad id!,둘약국,Dul Pharmacy,중구,,,,,,',
    'CSV-3,,Set Pharmacy,중구,,,,,,',
    'CSV-4,넷약국,Net Pharmacy,중구,,call me,,,,',
    'CSV-5,다섯약국,Five Pharmacy,중구,,,,,95,10',
    'CSV-1,또하나,Again,중구,,,,,,',
  ].join('\n');
  const page = await admin.post('/admin/sites/import', { csv });
  t.is(page.status, 422);
  t.is(await countSites(), before, 'nothing imported');
  const items = [...page.text.matchAll(/<li>([^<]+)<\/li>/g)].map((m) => m[1]!);
  t.deepEqual(
    items.map((i) => i.split(':')[0]),
    ['3번째 줄', '4번째 줄', '5번째 줄', '6번째 줄', '7번째 줄'],
    items.join('\n'),
  );
  t.regex(page.text, /3번째 줄: id: 영문·숫자·-·_ 40자 이내로 적어 주세요./);
  t.regex(page.text, /4번째 줄: name_ko: /);
  t.regex(page.text, /5번째 줄: phone: 숫자, 빈칸, \+, \( \), -만 쓸 수 있습니다/);
  t.regex(page.text, /6번째 줄: lat: -90부터 90 사이여야 합니다./);
  t.regex(page.text, /7번째 줄: id: 2번째 줄에도 있는 id입니다./);
  t.regex(page.text, /CSV-1,하나약국/, 'the pasted content is kept for fixing');

  const api = await app.request('POST', '/api/admin/sites/import', { as: apiAdmin, json: { csv } });
  t.is(api.status, 422);
  t.is(api.json.error.code, 'validation_failed');
  t.deepEqual(
    api.json.error.details.rows.map((r: { line: number }) => r.line),
    [3, 4, 5, 6, 7],
  );
  t.is(await countSites(), before);

  const header = await app.request('POST', '/api/admin/sites/import', {
    as: apiAdmin,
    json: { csv: 'id,name\nX,Y' },
  });
  t.is(header.status, 422);
  t.regex(JSON.stringify(header.json.error.details.rows), /Missing column\(s\): name_ko, name_en/);

  const good = await admin.post('/admin/sites/import', {
    csv: [
      'id,name_ko,name_en,district,address,phone,lat,lng',
      'CSV-1,하나약국,Hana Pharmacy,중구,서울 중구 1,02-111-1111,37.56,126.99',
      '"CSV-2","두울, 약국",Dul Pharmacy,동구,"서울 동구 2, 1층",,,',
    ].join('\r\n'),
  });
  t.is(good.status, 303, good.text);
  t.is(await countSites(), before + 2);
  t.like(await app.db('sites').where({ id: 'CSV-2' }).first(), {
    name_ko: '두울, 약국',
    address: '서울 동구 2, 1층',
  });
  const audit = await app.db('audit_log').where({ action: 'site.imported' }).orderBy('seq', 'desc').first();
  t.is(audit.data.count, 2);
});

test.serial(
  'a file csv-parse cannot read is named in our words, in the page language, on the line it names; nothing imported',
  async (t) => {
    const before = await countSites();
    const header = 'id,name_ko,name_en';
    const files: Array<[string, string, string, RegExp]> = [
      [
        `${header}\nQ-1,"큐약국,Q Pharmacy\nQ-2,둘,Two`,
        '3번째 줄: 큰따옴표(")로 연 칸이 닫히지 않은 채 파일이 끝났습니다.',
        'Line 3: A cell opened with a double quote (") is still open at the end of the file',
        /still open/,
      ],
      [
        // as a browser sends a textarea: CR LF line ends, which csv-parse counts twice inside a quoted cell
        `${header}\r\nQ-1,"큐약국,Q Pharmacy\r\nQ-2,둘,Two`,
        '3번째 줄: 큰따옴표(")로 연 칸이 닫히지 않은 채 파일이 끝났습니다.',
        'Line 3: A cell opened with a double quote (") is still open at the end of the file',
        /still open/,
      ],
      [
        `${header}\nQ-1,큐약국,Q Pharmacy\nQ-2,둘`,
        '3번째 줄: 칸이 2개입니다. 첫 줄의 열 이름처럼 3개여야 합니다.',
        'Line 3: 2 cells, but the header names 3 columns',
        /^2 cells, but the header names 3 columns/,
      ],
      [
        `${header}\nQ-1,큐"약국,Q Pharmacy`,
        '2번째 줄: 칸 중간에 큰따옴표(")가 있습니다.',
        'Line 2: A double quote (") inside a cell',
        /inside a cell/,
      ],
    ];
    for (const [csv, ko, en, api] of files) {
      const page = await admin.post('/admin/sites/import', { csv });
      t.is(page.status, 422);
      const items = [...page.text.matchAll(/<li>([^<]+)<\/li>/g)].map((m) => unescapeHtml(m[1]!));
      t.is(items.length, 1, items.join('\n'));
      t.true(items[0]!.startsWith(ko), items[0]);
      t.notRegex(page.text, /Quote Not Closed|Invalid (Record Length|Opening Quote)|parsing is finished/);
      const english = await admin.post('/admin/sites/import?lang=en', { csv });
      const line = [...english.text.matchAll(/<li>([^<]+)<\/li>/g)].map((m) => unescapeHtml(m[1]!));
      t.true(line[0]?.startsWith(en), line[0]);
      // the API keeps its shape: the line, and the fault in English
      const res = await app.request('POST', '/api/admin/sites/import', { as: apiAdmin, json: { csv } });
      t.is(res.status, 422);
      t.is(res.json.error.details.rows.length, 1);
      t.is(res.json.error.details.rows[0].line, Number(/\d+/.exec(ko)![0]));
      t.regex(res.json.error.details.rows[0].message, api);
    }
    t.is(await countSites(), before, 'nothing imported');
  },
);

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

test.serial(
  'a slots CSV with bad rows imports nothing; a good one replaces the slots and sets the stock',
  async (t) => {
    const body = buildGoodsCampaign(app.clock.now(), ['SA-1'], { groups: [] });
    const created = await app.request('POST', '/api/admin/campaigns', { as: apiAdmin, json: body });
    t.is(created.status, 201, created.text);
    const id = created.json.campaign.id;
    const before = await app.db('campaign_slots').where({ campaign_id: id }).orderBy('id');
    t.true(before.length > 0);
    const csv = [
      'slot_id,site_id,starts_at,ends_at,capacity',
      'N-1,SA-1,2026-12-03 12:00,2026-12-03 14:00,40',
      'N-2,NOPE,2026-12-03 14:00,2026-12-03 16:00,40',
      'N-3,SA-1,2026-12-03 16:00,2026-12-03 15:00,40',
      'N-4,SA-1,someday,2026-12-03 18:00,40',
      'N-5,SA-1,2026-12-03 18:00,2026-12-03 19:00,many',
    ].join('\n');
    const page = await admin.post(`/admin/campaigns/${id}/slots/import`, {
      csv: `${csv}\nN-6,SA-1,2026-12-03 19:00,later,40\n,SA-1,2026-12-03 20:00,2026-12-03 21:00,40`,
    });
    t.is(page.status, 422);
    // every fault of the file at once, in Korean: the cells' own and the campaign's rules over the other lines
    t.regex(page.text, /5번째 줄: starts_at: 날짜와 시각이 아닙니다/);
    t.regex(page.text, /7번째 줄: ends_at: 날짜와 시각이 아닙니다/);
    t.regex(page.text, /8번째 줄: slot_id: 입력해 주세요\./, 'a blank id is missing, not badly written');
    t.regex(page.text, /6번째 줄: capacity: 정수로 적어 주세요./);
    t.regex(page.text, /3번째 줄: site_id: 등록되지 않은 수령처입니다: NOPE/);
    t.regex(page.text, /4번째 줄: ends_at: 끝은 시작보다 뒤여야 합니다./);
    const unchanged = await app.db('campaign_slots').where({ campaign_id: id }).orderBy('id');
    t.deepEqual(unchanged, before, 'nothing imported');
    // With the cells fixed, the campaign's own rules speak, still per line.
    const rules = await app.request('POST', `/api/admin/campaigns/${id}/slots/import`, {
      as: apiAdmin,
      json: { csv: csv.replace('someday', '2026-12-03 17:00').replace('many', '40') },
    });
    t.is(rules.status, 422, rules.text);
    const lines = rules.json.error.details.rows.map(
      (r: { line: number; message: string }) => `${r.line} ${r.message}`,
    );
    t.true(lines.includes('3 site_id: Unknown site NOPE'), lines.join('\n'));
    t.true(lines.includes('4 ends_at: A slot must end after it starts'), lines.join('\n'));
    t.deepEqual(await app.db('campaign_slots').where({ campaign_id: id }).orderBy('id'), before);

    const good = await app.request('POST', `/api/admin/campaigns/${id}/slots/import`, {
      as: apiAdmin,
      json: {
        csv: 'slot_id,site_id,starts_at,ends_at,capacity\nN-1,SA-1,2026-12-03 12:00,2026-12-03 14:00,40\nN-2,SA-1,2026-12-03T14:00,2026-12-03T16:00,60',
      },
    });
    t.is(good.status, 201, good.text);
    t.deepEqual(good.json, { slots: 2, total: 100 });
    // The page's form saves the same way and says so on the slots page.
    const byPage = await admin.post(`/admin/campaigns/${id}/slots/import`, {
      csv: 'slot_id,site_id,starts_at,ends_at,capacity\nN-1,SA-1,2026-12-03 12:00,2026-12-03 14:00,40\nN-2,SA-1,2026-12-03T14:00,2026-12-03T16:00,60',
    });
    t.is(byPage.status, 303, byPage.text.slice(0, 300));
    const slotsPage = await admin.get(byPage.headers.get('location')!);
    t.true(slotsPage.text.includes('저장했습니다. 전체 수량: 100'), 'saved, with the stock: their total');
    t.deepEqual(
      (await app.db('campaign_slots').where({ campaign_id: id }).orderBy('id')).map((s) => [
        s.id,
        s.capacity,
      ]),
      [
        ['N-1', 40],
        ['N-2', 60],
      ],
    );

    // A voucher campaign has no slots to import; a cancelled campaign's can no longer change. Nothing is stored.
    const oneSlot =
      'slot_id,site_id,starts_at,ends_at,capacity\nN-1,SA-1,2026-12-03 12:00,2026-12-03 14:00,10';
    const voucher = await app.request('POST', '/api/admin/campaigns', {
      as: apiAdmin,
      json: buildVoucherCampaign(app.clock.now(), { groups: [] }),
    });
    t.is(voucher.status, 201, voucher.text);
    const vid = voucher.json.campaign.id;
    const noSlots = await app.request('POST', `/api/admin/campaigns/${vid}/slots/import`, {
      as: apiAdmin,
      json: { csv: oneSlot },
    });
    t.is(noSlots.status, 422, noSlots.text);
    t.regex(noSlots.text, /Voucher campaigns have no pickup slots/);
    t.deepEqual(await app.db('campaign_slots').where({ campaign_id: vid }), []);
    const cancel = await app.request('POST', `/api/admin/campaigns/${id}/cancel`, {
      as: apiAdmin,
      json: { reason: 'replaced by another campaign' },
    });
    t.is(cancel.status, 200, cancel.text);
    const late = await app.request('POST', `/api/admin/campaigns/${id}/slots/import`, {
      as: apiAdmin,
      json: { csv: oneSlot },
    });
    t.is(late.status, 409, late.text);
    t.is(late.json.error.code, 'campaign_not_editable');
    t.deepEqual(
      (await app.db('campaign_slots').where({ campaign_id: id }).orderBy('id')).map((s) => s.capacity),
      [40, 60],
    );
  },
);

test.serial(
  'slots too few for the reserved quotas: a whole-file problem, nothing saved; a line of the wrong width is named',
  async (t) => {
    const body = buildGoodsCampaign(app.clock.now(), ['SA-1'], {
      groups: [{ name: 'senior', reserved: 80 }],
    });
    const created = await app.request('POST', '/api/admin/campaigns', { as: apiAdmin, json: body });
    t.is(created.status, 201, created.text);
    const id = created.json.campaign.id;
    const slots = () => app.db('campaign_slots').where({ campaign_id: id }).orderBy('id');
    const before = await slots();
    const header = 'slot_id,site_id,starts_at,ends_at,capacity';
    const small = `${header}\nN-1,SA-1,2026-12-03 12:00,2026-12-03 14:00,40`;
    const api = await app.request('POST', `/api/admin/campaigns/${id}/slots/import`, {
      as: apiAdmin,
      json: { csv: small },
    });
    t.is(api.status, 422, api.text);
    t.deepEqual(api.json.error.details.rows, [
      { line: 0, message: 'Reserved quotas add up to more than the total' },
    ]);
    const page = await admin.post(`/admin/campaigns/${id}/slots/import`, { csv: small });
    t.is(page.status, 422);
    t.true(page.text.includes('별도 배정량의 합이 총 예산 또는 수량보다 큽니다.'));
    const ragged = await app.request('POST', `/api/admin/campaigns/${id}/slots/import`, {
      as: apiAdmin,
      json: { csv: `${header}\nN-1,SA-1,2026-12-03 12:00,2026-12-03 14:00,40\nN-2,SA-1,2026-12-03 14:00` },
    });
    t.is(ragged.status, 422, ragged.text);
    t.deepEqual(
      ragged.json.error.details.rows.map((r: { line: number }) => r.line),
      [3],
    );
    t.regex(ragged.json.error.details.rows[0].message, /columns/i);
    t.deepEqual(await slots(), before, 'nothing saved');
    t.is((await app.db('campaigns').where({ id }).first()).total, body.total, 'the stock unchanged');
  },
);

test.serial('the admin campaign page links to intake, draw, results, stock and notices', async (t) => {
  const body = buildGoodsCampaign(app.clock.now(), ['SA-1'], { groups: [] });
  const created = await app.request('POST', '/api/admin/campaigns', { as: apiAdmin, json: body });
  const id = created.json.campaign.id;
  const page = await admin.get(`/admin/campaigns/${id}`);
  t.is(page.status, 200);
  for (const href of [
    `/admin/campaigns/${id}/intake`,
    `/admin/campaigns/${id}/slots`,
    `/admin/campaigns/${id}/draw`,
    `/campaigns/${id}/audit`,
    `/campaigns/${id}/stock`,
    `/admin/campaigns/${id}/messages`,
  ]) {
    t.regex(page.text, new RegExp(`href="${href}"`), href);
  }
  const messages = await admin.get(`/admin/campaigns/${id}/messages`);
  t.is(messages.status, 200);
  t.regex(messages.text, /알림 발송 현황/);
  t.regex(messages.text, /id="campaign-nav"/);
});
