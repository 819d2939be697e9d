// Serial: the last test edits the audit log behind its trigger. Over 300 lines: one app and its signed-in staff
// serve every admin page case.
// Admin pages: the same validation and commands as the JSON API, behind sign-in, roles and CSRF.

import Router from '@koa/router';
import test from 'ava';
import { auditPageRoutes } from '../../src/http/routes/audit/pages.js';
import { adminCampaignPageRoutes } from '../../src/http/routes/campaigns/adminPages.js';
import { sitePageRoutes } from '../../src/http/routes/sites/pages.js';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { type CookieSession, signInWithForm } from '../helpers/browserSession.js';
import { buildVoucherCampaign, isoFrom, VOUCHER_FORM_FIELDS } from '../helpers/factories.js';
import { fieldError } from '../helpers/fieldError.js';

let app: TestApp;
let admin: CookieSession;
let auditor: CookieSession;
let siteStaff: CookieSession;
let apiAdmin: StaffAuth;
const html = { accept: 'text/html' };

test.before(async () => {
  app = await startTestApp(); // 2026-12-01 00:00 KST
  apiAdmin = await app.staff('admin');
  for (const id of ['PH-A', 'PH-B']) {
    await app.request('PUT', `/api/admin/sites/${id}`, {
      as: apiAdmin,
      json: { name_ko: `약국 ${id}`, name_en: `Pharmacy ${id}`, district: '중구' },
    });
  }
  admin = await signInWithForm(app, 'admin');
  auditor = await signInWithForm(app, 'auditor');
  siteStaff = await signInWithForm(app, 'site_staff', { site_id: 'PH-A' });
});
test.after.always(async () => {
  await app?.close();
});

const countCampaigns = async () => Number((await app.db('campaigns').count('* as n').first())?.n);
let codeCounter = 0;

/** A valid voucher campaign as the admin form sends it (local times in Asia/Seoul). */
function voucherForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    code: `FORM${++codeCounter}`,
    ...VOUCHER_FORM_FIELDS,
    description_ko: '설명',
    description_en: 'About',
    regions: '중구\n종로구',
    min_age: '19',
    max_age: '',
    group_0_name: 'basic',
    group_0_name_ko: '기초생활수급자',
    group_0_name_en: 'Basic livelihood recipients',
    group_0_proof_ko: '수급자 증명서',
    group_0_reserved: '100000000',
    group_0_weight: '2',
    group_2_name: '장애인',
    group_2_reserved: '50000000',
    ...overrides,
  };
}

/** The form's group rows emptied (a goods campaign's stock is too small for the voucher form's quotas). */
const NO_GROUPS = Object.fromEntries(
  ['0_name', '0_name_ko', '0_name_en', '0_proof_ko', '0_reserved', '0_weight', '2_name', '2_reserved'].map(
    (k) => [`group_${k}`, ''],
  ),
);

const idFrom = (location: string | null) => /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(location ?? '')?.[1];

test.serial('anonymous visitors of admin pages are sent to the sign-in page; nothing changes', async (t) => {
  const before = await countCampaigns();
  for (const path of ['/admin', '/admin/campaigns/new', '/admin/sites', '/admin/audit']) {
    const res = await app.request('GET', path, { headers: html });
    t.is(res.status, 303, path);
    t.is(res.headers.get('location'), '/staff/login', path);
  }
  const post = await app.request('POST', '/admin/campaigns/new', { headers: html, form: voucherForm() });
  t.is(post.status, 303);
  t.is(post.headers.get('location'), '/staff/login');
  t.is(await countCampaigns(), before);
  // The JSON API keeps its 401.
  t.is((await app.request('GET', '/api/admin/campaigns')).status, 401);
});

test.serial(
  'every admin page route of these modules, found by walking them, refuses anonymous and site staff',
  async (t) => {
    const sample = '00000000-0000-4000-8000-000000000000';
    const router = new Router();
    for (const mount of [adminCampaignPageRoutes, sitePageRoutes, auditPageRoutes]) mount(router, app.deps);
    const routes = router.stack
      .filter((l) => String(l.path).startsWith('/admin'))
      .flatMap((l) => l.methods.filter((m) => m !== 'HEAD').map((m) => ({ m, path: String(l.path) })))
      .map(({ m, path }) => ({ m, path: path.replace(/:id\b/g, path.includes('sites') ? 'PH-A' : sample) }));
    t.true(routes.length >= 12, routes.map((r) => `${r.m} ${r.path}`).join('\n'));
    for (const { m, path } of routes) {
      const form = m === 'GET' ? undefined : {};
      const anon = await app.request(m, path, { headers: html, ...(form ? { form } : {}) });
      t.is(anon.status, 303, `anonymous ${m} ${path}`);
      const res = m === 'GET' ? await siteStaff.get(path) : await siteStaff.post(path, {});
      t.is(res.status, 403, `site_staff ${m} ${path}`);
    }
  },
);

test.serial('the wrong role gets a 403 page', async (t) => {
  for (const path of ['/admin', '/admin/campaigns/new', '/admin/sites', '/admin/audit']) {
    const res = await siteStaff.get(path);
    t.is(res.status, 403, path);
    t.regex(res.text, /이 작업을 할 권한이 없습니다/, path);
  }
  // Auditors read but do not write.
  t.is((await auditor.get('/admin/campaigns/new')).status, 403);
  const before = await countCampaigns();
  const post = await auditor.post('/admin/campaigns/new', voucherForm());
  t.is(post.status, 403);
  t.is(await countCampaigns(), before);
  t.is((await auditor.post('/admin/sites', { id: 'AUD-1', name_ko: '약국', name_en: 'Ph' })).status, 403);
  t.falsy(await app.db('sites').where({ id: 'AUD-1' }).first());
});

test.serial('an auditor sees the overview and audit log, without buttons that change things', async (t) => {
  const overview = await auditor.get('/admin');
  t.is(overview.status, 200);
  t.notRegex(overview.text, /href="\/admin\/campaigns\/new"/);
  const audit = await auditor.get('/admin/audit');
  t.is(audit.status, 200);
  t.regex(audit.text, /해시 체인 확인/);
  // who did it, not only the id the chain holds: the admin who put the sites
  const { email } = await app.db('staff').where({ id: apiAdmin.id }).first();
  t.true(audit.text.includes(`${email} · 관리자<br><code>staff:${apiAdmin.id}</code>`), 'the actor named');
  t.regex(audit.text, /<td><code>system:/, 'a system actor as it is');
});

test.serial('the new-campaign form renders every field in Korean and in English', async (t) => {
  const ko = await admin.get('/admin/campaigns/new');
  t.is(ko.status, 200);
  t.regex(ko.text, /<html lang="ko">/);
  t.regex(ko.text, /<h1>새 사업 만들기/);
  for (const name of [
    'code',
    'kind',
    'mode',
    'title_ko',
    'title_en',
    'description_ko',
    'description_en',
    'time_zone',
    'opens_at',
    'closes_at',
    'draw_at',
    'claim_opens_at',
    'claim_closes_at',
    'unit',
    'total',
    'denomination',
    'per_person_max',
    'partial',
    'unclaimed_policy',
    'regions',
    'min_age',
    'max_age',
    'birth_year_rotation',
    'group_0_name',
    'group_0_name_ko',
    'group_0_name_en',
    'group_0_proof_ko',
    'group_0_proof_en',
    'group_0_reserved',
    'group_2_weight',
    '_csrf',
  ]) {
    t.regex(ko.text, new RegExp(`name="${name}"`), name);
  }
  // Each field once: the verification box was once rendered twice under the same names, so unticking a method in
  // the first box still sent it from the second, and an operator could not require 본인인증 alone.
  const form = ko.text.slice(ko.text.indexOf('<form method="post" action="/admin/campaigns/new"'));
  const fields = form.slice(0, form.indexOf('</form>'));
  const names = [...fields.matchAll(/<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"/g)].map((m) => m[1]!);
  t.deepEqual(
    names.filter((n, i) => names.indexOf(n) !== i),
    [],
    'no field name twice',
  );
  for (const m of ['sms', 'oidc', 'portone', 'email']) t.true(names.includes(`verify_${m}`), m);
  t.regex(ko.text, /<label for="f-opens_at">신청 시작/);
  t.regex(ko.text, /type="datetime-local"/);
  t.regex(ko.text, new RegExp(`name="_csrf" value="${admin.csrf()}"`));
  const en = await admin.get('/admin/campaigns/new?lang=en');
  t.regex(en.text, /<html lang="en">/);
  t.regex(en.text, /<h1>New campaign/);
  t.regex(en.text, /<label for="f-opens_at">Applications open/);
});

test.serial(
  'an admin creates a campaign with the form; local times are read in the campaign zone',
  async (t) => {
    const form = voucherForm({ birth_year_rotation: 'on' });
    const res = await admin.post('/admin/campaigns/new', form);
    t.is(res.status, 303, res.text);
    const id = idFrom(res.headers.get('location'));
    t.truthy(id);
    const c = await app.db('campaigns').where({ id }).first();
    t.is(c.code, form.code);
    t.is(c.state, 'draft');
    t.is(c.opens_at.toISOString(), '2026-12-02T00:00:00.000Z'); // 09:00 KST
    t.deepEqual(c.eligibility, { regions: ['중구', '종로구'], min_age: 19, birth_year_rotation: true });
    t.deepEqual(c.groups, [
      {
        name: 'basic',
        name_ko: '기초생활수급자',
        name_en: 'Basic livelihood recipients',
        proof_ko: '수급자 증명서',
        reserved: 100_000_000,
        weight: 2,
      },
      { name: '장애인', reserved: 50_000_000, weight: 1 },
    ]);
    const detail = await admin.get(`/admin/campaigns/${id}?saved=1`);
    t.is(detail.status, 200);
    t.regex(detail.text, /저장했습니다/);
    t.regex(detail.text, /campaign\.created/);
    t.regex(
      detail.text,
      /2026-12-02 \(수\) 09:00 <span class="to">~ 2026-12-04 \(금\) 18:00 <span class="zone">한국 표준시 \(GMT\+9\)/,
    );
  },
);

test.serial('a goods campaign gets its slots per site in a table; its stock is their total', async (t) => {
  const res = await admin.post(
    '/admin/campaigns/new',
    voucherForm({
      kind: 'goods',
      mode: 'reservation',
      unit: 'item',
      total: '0',
      ...NO_GROUPS,
      denomination: '1',
      per_person_max: '2',
    }),
  );
  t.is(res.status, 303, res.text);
  const id = idFrom(res.headers.get('location'));
  const table = await admin.get(`/admin/campaigns/${id}/slots/site/PH-A`);
  t.is(table.status, 200);
  t.regex(table.text, /name="slot_2_capacity"/, 'three blank rows to fill');
  const row = (i: number, id: string, starts: string, ends: string, capacity: string) => ({
    [`slot_${i}_id`]: id,
    [`slot_${i}_starts`]: starts,
    [`slot_${i}_ends`]: ends,
    [`slot_${i}_capacity`]: capacity,
  });
  const bad = await admin.post(`/admin/campaigns/${id}/slots/site/PH-A`, {
    ...row(0, 'PH-A-AM', '2026-12-05T09:00', '2026-12-05T12:00', '100'),
    ...row(1, 'PH-A-PM', '2026-12-05T13:00', '2026-12-05T12:00', 'lots'),
  });
  t.is(bad.status, 422);
  t.regex(bad.text, /2번째 줄<\/a>: 수용 인원: 정수로 적어 주세요./);
  t.is((await app.db('campaign_slots').where({ campaign_id: id })).length, 0, 'nothing saved');
  const late = await admin.post(`/admin/campaigns/${id}/slots/site/PH-A`, {
    ...row(0, 'PH-A-AM', '2026-12-05T09:00', '2026-12-05T12:00', '100'),
    ...row(1, 'PH-A-PM', '2026-12-05T13:00', '2026-12-05T12:00', '100'),
  });
  t.is(late.status, 422);
  t.regex(late.text, /2번째 줄<\/a>: 끝: 끝은 시작보다 뒤여야 합니다./);
  // the fault is marked on its own cell, and the summary links there
  t.regex(late.text, /<a href="#slot-1-ends">/);
  t.regex(late.text, /id="slot-1-ends"[^>]*aria-invalid="true"/);
  t.notRegex(late.text, /id="slot-1-id"[^>]*aria-invalid/);
  // A row without an id and without a start: the id is asked for as missing (not as badly written), and the
  // line reads "N번째 줄: cell: words", each cell at fault described by its line.
  const blank = await admin.post(`/admin/campaigns/${id}/slots/site/PH-A`, {
    ...row(0, '', '', '2026-12-05T12:00', '100'),
  });
  t.is(blank.status, 422);
  t.regex(blank.text, /1번째 줄<\/a>: 수령 시간 id: 입력해 주세요\./);
  t.notRegex(blank.text, /영문·숫자·-·_만 쓸 수 있습니다/);
  t.notRegex(blank.text, /">: /, 'no text starts with a stray ": " (the number cell read "1: …" before)');
  t.regex(blank.text, /id="slot-0-id"[^>]*aria-invalid="true" aria-describedby="slot-0-id-error"/);
  t.regex(blank.text, /<li id="slot-0-id-error">/);
  // A start but no id: one is made from the site and the start, and kept.
  const a = await admin.post(`/admin/campaigns/${id}/slots/site/PH-A`, {
    ...row(0, '', '2026-12-05 09:00', '2026-12-05 12:00', '100'),
    ...row(2, 'PH-A-PM', '2026-12-05T13:00', '2026-12-05T18:00', '100'),
  });
  t.is(a.status, 303, a.text);
  t.regex(
    (await admin.get(`/admin/campaigns/${id}/slots/site/PH-A`)).text,
    /name="slot_0_id" value="PH-A-20261205-0900"/,
    'shown back in its cell',
  );
  await admin.post(`/admin/campaigns/${id}/slots/site/PH-A`, {
    ...row(0, 'PH-A-AM', '2026-12-05 09:00', '2026-12-05 12:00', '100'),
    ...row(2, 'PH-A-PM', '2026-12-05T13:00', '2026-12-05T18:00', '100'),
  });
  const b = await admin.post(`/admin/campaigns/${id}/slots/site/PH-B`, {
    ...row(0, 'PH-B-AM', '2026-12-05T09:00', '2026-12-05T12:00', '100'),
  });
  t.is(b.status, 303, b.text);
  const slots = await app.db('campaign_slots').where({ campaign_id: id }).orderBy('id');
  t.deepEqual(
    slots.map((s) => [s.id, s.site_id, s.starts_at.toISOString(), s.capacity]),
    [
      ['PH-A-AM', 'PH-A', '2026-12-05T00:00:00.000Z', 100],
      ['PH-A-PM', 'PH-A', '2026-12-05T04:00:00.000Z', 100],
      ['PH-B-AM', 'PH-B', '2026-12-05T00:00:00.000Z', 100],
    ],
  );
  t.is(Number((await app.db('campaigns').where({ id }).first()).total), 300);
  const overview = await admin.get(`/admin/campaigns/${id}/slots`);
  t.regex(overview.text, /전체 300개, 수령 시간 3개/);
  // Clearing a row removes its slot.
  const removed = await admin.post(`/admin/campaigns/${id}/slots/site/PH-A`, {
    ...row(0, 'PH-A-AM', '2026-12-05T09:00', '2026-12-05T12:00', '100'),
  });
  t.is(removed.status, 303);
  t.deepEqual(
    (await app.db('campaign_slots').where({ campaign_id: id, site_id: 'PH-A' })).map((s) => s.id),
    ['PH-A-AM'],
  );
});

test.serial(
  'validation errors are shown next to their fields with the values kept, and nothing is created',
  async (t) => {
    const before = await countCampaigns();
    const res = await admin.post(
      '/admin/campaigns/new',
      voucherForm({
        title_ko: '남겨 둘 <제목>',
        closes_at: '2026-12-01T08:00', // before it opens
        per_person_max: '255000', // not in denominations
        group_1_name: '한 칸짜리',
      }),
    );
    t.is(res.status, 422);
    t.is(await countCampaigns(), before);
    t.regex(res.text, /class="error-summary"/);
    t.regex(res.text, /입력한 내용 중 고칠 부분이 있습니다/);
    // Values kept (and escaped).
    t.regex(res.text, /value="남겨 둘 &lt;제목&gt;"/);
    t.regex(res.text, /name="opens_at" type="datetime-local" value="2026-12-02T09:00"/);
    t.regex(res.text, /name="group_1_name" value="한 칸짜리"/);
    // A group row without its reserved amount names the row; the rest by the same parser and rules as the JSON API.
    t.regex(res.text, /id="f-groups-error">2번째 줄 \(별도 배정량\): 입력해 주세요./);
    t.is(await countCampaigns(), before);

    const rules = await admin.post(
      '/admin/campaigns/new',
      voucherForm({ closes_at: '2026-12-01T08:00', per_person_max: '255000' }),
    );
    t.is(rules.status, 422);
    t.regex(rules.text, /id="f-closes_at-error">신청 마감은 신청 시작보다 뒤여야 합니다./);
    t.regex(rules.text, /id="f-per_person_max-error">1인당 최대는 지급 단위의 배수여야 합니다./);
    t.regex(rules.text, /aria-invalid="true"/);
    t.regex(rules.text, /<a href="#f-closes_at">신청 마감<\/a>/);
    t.is(await countCampaigns(), before);

    const schema = await admin.post(
      '/admin/campaigns/new',
      voucherForm({ code: 'x', total: 'lots', opens_at: '' }),
    );
    t.is(schema.status, 422);
    t.regex(schema.text, /id="f-code-error">/);
    t.regex(schema.text, /id="f-total-error">/);
    t.regex(schema.text, /id="f-opens_at-error">입력해 주세요./);

    t.is(await countCampaigns(), before);
  },
);

test.serial(
  "one submit names every fault of the campaign form, on its field, in the page's language",
  async (t) => {
    const before = await countCampaigns();
    const faults = voucherForm({
      code: '',
      title_ko: '',
      total: '',
      closes_at: '2026-12-01T08:00', // before it opens
      claim_opens_at: '2026-12-04T10:00', // before the draw
      per_person_max: '255000', // not in denominations
      min_age: '70',
      max_age: '60',
    });
    const ko = await admin.post('/admin/campaigns/new', faults);
    t.is(ko.status, 422);
    // each field at fault, its words in Korean and in English (the English page also gets a total far too large)
    const expected: Array<[string, string, string]> = [
      [
        'code',
        '영문·숫자 3~12자로 적어 주세요. 문자 신청에 쓰입니다.',
        '3 to 12 letters or digits, used in SMS commands',
      ],
      ['title_ko', '입력해 주세요.', 'Required'],
      ['total', '입력해 주세요.', 'Must be at most 1,000,000,000,000'],
      [
        'closes_at',
        '신청 마감은 신청 시작보다 뒤여야 합니다.',
        'The application window must end after it starts',
      ],
      ['claim_opens_at', '수령 시작은 추첨 뒤여야 합니다.', 'Collection cannot start before the draw'],
      [
        'per_person_max',
        '1인당 최대는 지급 단위의 배수여야 합니다.',
        'The denomination must divide the per-person limit',
      ],
      [
        'max_age',
        '최대 나이가 최소 나이보다 작을 수 없습니다.',
        'The maximum age must not be below the minimum age',
      ],
    ];
    const en = await admin.post('/admin/campaigns/new?lang=en', { ...faults, total: '900000000000000000' });
    t.is(en.status, 422);
    for (const [field, koWords, enWords] of expected) {
      t.is(fieldError(ko.text, field), koWords, field);
      t.is(fieldError(en.text, field), enWords, field);
    }
    // the summary names each field by its label
    t.regex(ko.text, /<a href="#f-title_ko">제목 \(한국어\)<\/a>: 입력해 주세요.<\/li>/);
    t.regex(ko.text, /<a href="#f-max_age">최대 나이 \(만\)<\/a>: /);
    t.notRegex(ko.text, /Required|Must be|must end|cannot start/, 'no English on the Korean page');
    t.is(await countCampaigns(), before);
  },
);

test.serial('a duplicate code is a field error on the form', async (t) => {
  const form = voucherForm();
  t.is((await admin.post('/admin/campaigns/new', form)).status, 303);
  const again = await admin.post('/admin/campaigns/new', { ...form, title_ko: '다시' });
  t.is(again.status, 409);
  t.regex(again.text, /id="f-code-error">다른 사업이 이미 쓰는 코드입니다./);
});

test.serial('without the CSRF token a form post is refused with 403 and changes nothing', async (t) => {
  const before = await countCampaigns();
  const missing = await admin.post('/admin/campaigns/new', { ...voucherForm(), _csrf: '' });
  t.is(missing.status, 403);
  t.regex(missing.text, /양식이 만료되었습니다/);
  const wrong = await admin.post('/admin/campaigns/new', { ...voucherForm(), _csrf: 'x'.repeat(43) });
  t.is(wrong.status, 403);
  t.is(await countCampaigns(), before);

  const created = await admin.post('/admin/campaigns/new', voucherForm());
  const id = idFrom(created.headers.get('location'))!;
  const schedule = await admin.post(`/admin/campaigns/${id}/schedule`, { _csrf: '' });
  t.is(schedule.status, 403);
  t.is((await app.db('campaigns').where({ id }).first()).state, 'draft');
  const site = await admin.post('/admin/sites', { id: 'NO-CSRF', name_ko: '약국', name_en: 'Ph', _csrf: '' });
  t.is(site.status, 403);
  t.falsy(await app.db('sites').where({ id: 'NO-CSRF' }).first());
});

test.serial(
  'edit shows the stored moments in the campaign zone and saves; a stale version is refused',
  async (t) => {
    const created = await admin.post('/admin/campaigns/new', voucherForm());
    const id = idFrom(created.headers.get('location'))!;
    const edit = await admin.get(`/admin/campaigns/${id}/edit`);
    t.is(edit.status, 200);
    t.regex(edit.text, /name="opens_at" type="datetime-local" value="2026-12-02T09:00"/);
    t.regex(edit.text, /name="version" value="1"/);
    t.regex(edit.text, /name="group_0_name_ko" value="기초생활수급자"/);
    t.regex(edit.text, /name="group_1_name" value="장애인"/);
    t.regex(edit.text, /name="group_1_weight" value="1"/);

    const values = voucherForm({ code: (await app.db('campaigns').where({ id }).first()).code });
    const saved = await admin.post(`/admin/campaigns/${id}/edit`, {
      ...values,
      title_ko: '고친 제목',
      version: '1',
    });
    t.is(saved.status, 303, saved.text);
    t.is((await app.db('campaigns').where({ id }).first()).title_ko, '고친 제목');

    const stale = await admin.post(`/admin/campaigns/${id}/edit`, {
      ...values,
      title_ko: '늦은 수정',
      version: '1',
    });
    t.is(stale.status, 409);
    t.regex(stale.text, /다른 사람이 먼저 변경했습니다/);
    t.regex(stale.text, /value="늦은 수정"/);
    t.is((await app.db('campaigns').where({ id }).first()).title_ko, '고친 제목');
  },
);

/** What a browser sends back from a form page left as it is: every field with the value it shows. */
function shownFields(html: string): Record<string, string> {
  const text = (v: string) =>
    v
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const out: Record<string, string> = {};
  for (const [, a = ''] of html.matchAll(/<input ([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(a)?.[1];
    if (!name) continue;
    if (/type="checkbox"/.test(a)) {
      if (/ checked/.test(a)) out[name] = 'on';
    } else out[name] = text(/value="([^"]*)"/.exec(a)?.[1] ?? '');
  }
  for (const [, name = '', options = ''] of html.matchAll(
    /<select [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g,
  ))
    out[name] =
      (/<option value="([^"]*)" selected/.exec(options) ?? /<option value="([^"]*)"/.exec(options))?.[1] ??
      '';
  for (const [, name = '', value = ''] of html.matchAll(
    /<textarea [^>]*name="([^"]*)"[^>]*>([^<]*)<\/textarea>/g,
  ))
    out[name] = text(value);
  return out;
}

test.serial(
  'edit shows what the API stored (an age range, the rotation, seconds, e-mail sign-in) and saving it unchanged keeps it',
  async (t) => {
    const now = app.clock.now();
    const created = await app.request('POST', '/api/admin/campaigns', {
      as: apiAdmin,
      json: buildVoucherCampaign(now, {
        opens_at: isoFrom(now, 3600_000 + 30_000),
        eligibility: { regions: ['중구'], min_age: 20, max_age: 64, birth_year_rotation: true },
        verification_methods: ['sms', 'email'],
      }),
    });
    t.is(created.status, 201, created.text);
    const id = created.json.campaign.id as string;
    const before = await app.db('campaigns').where({ id }).first();
    const edit = await admin.get(`/admin/campaigns/${id}/edit`);
    t.regex(edit.text, /name="opens_at" type="datetime-local" value="2026-12-01T01:00:30"/);
    t.regex(edit.text, /name="min_age" [^>]*value="20"/);
    t.regex(edit.text, /name="max_age" [^>]*value="64"/);
    t.regex(edit.text, /name="birth_year_rotation" value="on" checked/);
    t.regex(edit.text, /name="verify_email" value="on" checked/);
    t.notRegex(edit.text, /name="verify_oidc" value="on" checked/);
    // and the overview says it too, as it is once the campaign opens and can no longer be edited
    const overview = await admin.get(`/admin/campaigns/${id}`);
    const methods = overview.text.slice(overview.text.indexOf('id="verification-methods"'));
    t.regex(methods, /^[\s\S]*?<li>휴대폰 문자 인증번호<\/li><li>이메일 인증번호<\/li><\/ul>/);
    const price = overview.text.slice(overview.text.indexOf('id="price-rules"'));
    t.regex(price, /^[\s\S]*?할인율 \(%\)<\/dt><dd>\d+(\.\d+)?% · 액면 [\d,]+원짜리를 [\d,]+원에 삽니다/);
    const saved = await admin.post(`/admin/campaigns/${id}/edit`, shownFields(edit.text));
    t.is(saved.status, 303, saved.text.slice(0, 500));
    const after = await app.db('campaigns').where({ id }).first();
    t.is(after.version, before.version + 1);
    for (const k of ['eligibility', 'verification_methods', 'opens_at', 'groups', 'discount_bp', 'total'])
      t.deepEqual(after[k], before[k], k);
  },
);

test.serial(
  'schedule, unschedule and cancel buttons run the state commands and land in the audit trail',
  async (t) => {
    const created = await admin.post('/admin/campaigns/new', voucherForm());
    const id = idFrom(created.headers.get('location'))!;
    const page = await admin.get(`/admin/campaigns/${id}`);
    t.regex(page.text, new RegExp(`action="/admin/campaigns/${id}/schedule"`));
    t.notRegex(page.text, new RegExp(`action="/admin/campaigns/${id}/unschedule"`));

    const s = await admin.post(`/admin/campaigns/${id}/schedule`, {});
    t.is(s.status, 303);
    t.is(s.headers.get('location'), `/admin/campaigns/${id}?done=schedule`);
    t.is((await app.db('campaigns').where({ id }).first()).state, 'scheduled');
    const after = await admin.get(`/admin/campaigns/${id}?done=schedule`);
    t.regex(after.text, /예약했습니다/);
    t.regex(after.text, /campaign\.scheduled/);
    t.regex(after.text, /신청 시작까지 남은 시간/);

    // Scheduling twice is not allowed: the page says so instead of failing blankly.
    const twice = await admin.post(`/admin/campaigns/${id}/schedule`, {});
    t.is(twice.status, 409);
    t.regex(twice.text, /지금 상태에서는 할 수 없는 작업입니다/);

    t.is((await admin.post(`/admin/campaigns/${id}/unschedule`, {})).status, 303);
    t.is((await app.db('campaigns').where({ id }).first()).state, 'draft');
    // The cancel cannot be undone: its own form, its box ticked; refused, the form comes back open with what was
    // typed and nothing changed.
    const detail = await admin.get(`/admin/campaigns/${id}`);
    t.regex(detail.text, /<details class="cancel-box" id="cancel-box">/);
    const message = '예산 조정으로 취소합니다. 다음 달에 다시 안내합니다.';
    const english = 'Cancelled after a budget change; a new sale will be announced next month.';
    const unticked = await admin.post(`/admin/campaigns/${id}/cancel`, {
      message_ko: message,
      message_en: english,
      reason: 'budget',
    });
    t.is(unticked.status, 422);
    t.regex(unticked.text, /<details class="cancel-box" id="cancel-box" open>/);
    t.regex(unticked.text, /확인란에 표시해 주세요/);
    t.true(unticked.text.includes(`>${message}</textarea>`), 'the messages typed are kept');
    t.true(unticked.text.includes(`>${english}</textarea>`));
    const tooLong = await admin.post(`/admin/campaigns/${id}/cancel`, {
      message_ko: message,
      message_en: 'a'.repeat(201),
      confirm: 'on',
    });
    t.is(tooLong.status, 422);
    t.regex(tooLong.text, /영어 주민 안내 문구는 200자 이내/, 'the field at fault is named');
    t.true(tooLong.text.includes(`>${message}</textarea>`), 'the other message is kept');
    t.is((await app.db('campaigns').where({ id }).first()).state, 'draft', 'refused: nothing changed');

    t.is(
      (await admin.post(`/admin/campaigns/${id}/cancel`, { message_ko: message, confirm: 'on' })).status,
      303,
    );
    t.is((await app.db('campaigns').where({ id }).first()).state, 'cancelled');
    const cancelled = await admin.get(`/admin/campaigns/${id}`);
    t.regex(cancelled.text, /campaign\.cancelled/);
    t.true(cancelled.text.includes(message), 'the message to residents is shown');
    t.regex(
      cancelled.text,
      /영어: \(없음: 다른 언어 문구가 나갑니다\)/,
      'and that English readers are given it',
    );
    t.notRegex(cancelled.text, /cancel-box/, 'nothing left to cancel');
    t.notRegex(cancelled.text, /\/edit"/);
    t.is((await admin.get(`/admin/campaigns/${id}/edit`)).status, 409);
  },
);

test.serial('the overview lists campaigns with states and counts, in both languages', async (t) => {
  await admin.post(
    '/admin/campaigns/new',
    voucherForm({ title_ko: '목록용 사업', title_en: 'Listed campaign' }),
  );
  const ko = await admin.get('/admin');
  t.is(ko.status, 200);
  t.regex(ko.text, /목록용 사업/);
  t.regex(ko.text, /준비 중 \d+/);
  const en = await admin.get('/admin?lang=en');
  t.regex(en.text, /Listed campaign/);
  t.regex(en.text, /In preparation \d+/);
  t.regex(en.text, /<th scope="col" class="num">Applications or purchases<\/th>/);
  // an instant sale past its close reads as over, as on its own page: no collection period it does not have
  const sale = idFrom(
    (
      await admin.post(
        '/admin/campaigns/new',
        voucherForm({
          mode: 'instant',
          title_ko: '마감된 판매',
          title_en: 'Closed sale',
          // a sale has no draw time or claim window (a value left in them is refused)
          draw_at: '',
          claim_opens_at: '',
          claim_closes_at: '',
        }),
      )
    ).headers.get('location'),
  )!;
  // its overview has no winner's checkout hold, which only a draw's award has (a buyer's hold is the waiting room's)
  const price = (await admin.get(`/admin/campaigns/${sale}`)).text
    .split('id="price-rules"')[1]!
    .split('</dl>')[0]!;
  t.regex(price, /할인율/);
  t.notRegex(price, /결제 대기|checkout/i);
  // on sale it reads as a sale, not as a lottery open for applications
  await app.db('campaigns').where({ id: sale }).update({ state: 'open' });
  const onSale = (await admin.get('/admin')).text.split('마감된 판매')[1]!.split('</tr>')[0]!;
  t.regex(onSale, /<span class="badge state-open">판매 중<\/span>/);
  await app.db('campaigns').where({ id: sale }).update({ state: 'claiming' });
  const row = (await admin.get('/admin')).text.split('마감된 판매')[1]!.split('</tr>')[0]!;
  t.regex(row, /<span class="badge state-claiming">판매 마감<\/span>/);
});

test.serial(
  'sites: add with the form, duplicate ids and blanks are field errors, edit keeps the id',
  async (t) => {
    const add = await admin.post('/admin/sites', {
      id: 'PH-NEW',
      name_ko: '새약국',
      name_en: 'New Pharmacy',
      district: '종로구',
      address: '종로 1',
    });
    t.is(add.status, 303);
    t.like(await app.db('sites').where({ id: 'PH-NEW' }).first(), { name_ko: '새약국', district: '종로구' });
    const list = await admin.get('/admin/sites?saved=1');
    t.regex(list.text, /새약국/);
    t.regex(list.text, /수령처를 저장했습니다/);

    const dup = await admin.post('/admin/sites', { id: 'PH-NEW', name_ko: '', name_en: 'Other' });
    t.is(dup.status, 422);
    t.regex(dup.text, /id="f-id-error">같은 id의 수령처가 이미 있습니다./);
    t.regex(dup.text, /id="f-name_ko-error">/);
    t.regex(dup.text, /name="name_en" type="text" value="Other"/);
    t.is((await app.db('sites').where({ id: 'PH-NEW' }).first()).name_en, 'New Pharmacy');

    const edit = await admin.get('/admin/sites/PH-NEW/edit');
    t.regex(edit.text, /value="새약국"/);
    const saved = await admin.post('/admin/sites/PH-NEW/edit', {
      name_ko: '새약국 본점',
      name_en: 'New Pharmacy',
      district: '종로구',
      address: '종로 2',
    });
    t.is(saved.status, 303);
    t.is((await app.db('sites').where({ id: 'PH-NEW' }).first()).address, '종로 2');
    t.is((await admin.get('/admin/sites/NOPE/edit')).status, 404);
  },
);

test.serial('the audit page shows the chain check, and where an edited row breaks it', async (t) => {
  const ok = await admin.get('/admin/audit?lang=en');
  t.is(ok.status, 200);
  t.regex(ok.text, /Hash chain checked: all \d+ entries intact/);
  const filtered = await admin.get('/admin/audit?subject=site:PH-A');
  t.regex(filtered.text, /site:PH-A/);
  t.notRegex(filtered.text, /<code>campaign:/);

  // A superuser can get past the append-only trigger; the chain still shows the edit.
  await app.db.transaction(async (trx) => {
    await trx.raw('SET LOCAL session_replication_role = replica');
    await trx('audit_log').where({ seq: 2 }).update({ actor: 'system:tampered' });
  });
  const broken = await admin.get('/admin/audit');
  t.regex(broken.text, /해시 체인이 #2에서 끊어졌습니다/);
  t.regex(broken.text, /여기서 끊김/);
});
