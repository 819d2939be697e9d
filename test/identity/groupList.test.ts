// A restricted group's list, imported wrong: each bad file is refused with its stable code and the list
// already imported stays as it was (members and audit alike).
import test from 'ava';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { type CookieSession, signInWithForm } from '../helpers/browserSession.js';
import { openVoucherCampaign, ROOMY_LIMITS } from '../helpers/intake.js';

let app: TestApp;
let admin: StaffAuth;
let adminPages: CookieSession;
let campaignId: string;
const listUrl = () => `/api/admin/campaigns/${campaignId}/groups/basic/list`;

test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
  admin = await app.staff('admin');
  adminPages = await signInWithForm(app, 'admin');
  const c = await openVoucherCampaign(app, {
    groups: [
      { name: 'basic', name_ko: '기초생활수급자', reserved: 0, weight: 2, check: 'list' },
      { name: 'veterans', reserved: 0, weight: 2 },
    ],
  });
  campaignId = c.id;
  // a list without a header: one phone number per line
  const first = await app.request('POST', listUrl(), {
    as: admin,
    json: { csv: '010-5554-0001\n010-5554-0002\n' },
  });
  if (first.status !== 200 || first.json.members !== 2) throw new Error(`import failed: ${first.text}`);
});
test.after.always(async () => {
  await app?.close();
});

/** The imported list and its audit trail, to show a refused import left both alone. */
async function listState() {
  const members = await app.db('group_members').where({ campaign_id: campaignId }).orderBy('key_hash');
  const audits = await app.db('audit_log').where({ action: 'group_list.imported' }).count({ n: '*' });
  return { members, audits: Number(audits[0]?.n) };
}

const refusals: [string, string, RegExp][] = [
  ['a file that is not CSV', 'phone\n"010-5554-0003', /^A cell opened with a double quote/],
  ['a header and no rows', 'phone\n', /no rows/],
  ['subjects without an identity provider', 'subject\nabc-123\n', /OIDC_ISSUER/],
  ['a line that is not a phone number', 'phone\n010-5554-0003\n12345\n', /^Line 3:/],
  ['a line with the phone column left empty', 'name,phone\nKim,010-5554-0003\nLee,\n', /^Line 3:/],
  ['a line shorter than the header', 'name,phone\nKim\nLee,010-5554-0003\n', /^Line 2:/],
  [
    'twelve bad lines: ten named, the rest counted',
    `phone\n${Array.from({ length: 12 }, (_, i) => `bad${i}`).join('\n')}\n`,
    /^Line 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 2 more:/,
  ],
];
for (const [what, csv, message] of refusals) {
  test.serial(`refused, list unchanged: ${what}`, async (t) => {
    const before = await listState();
    const res = await app.request('POST', listUrl(), { as: admin, json: { csv } });
    t.is(res.status, 422, res.text);
    t.is(res.json.error.code, 'validation_failed');
    t.regex(res.json.error.fields.csv, message);
    t.deepEqual(await listState(), before);
  });
}

test.serial('only an existing list group of an existing campaign takes a list', async (t) => {
  const before = await listState();
  const csv = '010-5554-0009\n';
  const missing = await app.request('POST', `/api/admin/campaigns/${crypto.randomUUID()}/groups/basic/list`, {
    as: admin,
    json: { csv },
  });
  t.is(missing.status, 404);
  t.is(missing.json.error.code, 'not_found');
  const noGroup = await app.request('POST', `/api/admin/campaigns/${campaignId}/groups/nobody/list`, {
    as: admin,
    json: { csv },
  });
  t.is(noGroup.json.error.code, 'not_found');
  const declared = await app.request('POST', `/api/admin/campaigns/${campaignId}/groups/veterans/list`, {
    as: admin,
    json: { csv },
  });
  t.is(declared.status, 422);
  t.is(declared.json.error.code, 'validation_failed');
  t.truthy(declared.json.error.fields.group);
  const empty = await app.request('POST', listUrl(), { as: admin, json: {} });
  t.is(empty.status, 422);
  t.truthy(empty.json.error.fields.csv, 'a body without csv names the field');
  t.deepEqual(await listState(), before);
});

test.serial(
  "the groups page words a refused file in the page's language, csv-parse's refusals too, on their line",
  async (t) => {
    const before = await listState();
    const pagePath = `/admin/campaigns/${campaignId}/groups/basic/list`;
    const cases: Array<[string, string, string]> = [
      [
        'phone\n"010-5554-0003',
        '2번째 줄: 큰따옴표(&quot;)로 연 칸이 닫히지 않은 채 파일이 끝났습니다.',
        'Line 2: A cell opened with a double quote (&quot;) is still open',
      ],
      ['phone\n010-5554-"0003"\n', '2번째 줄: 칸 중간에 큰따옴표', 'Line 2: A double quote'],
      ['phone\n', '명단이 비어 있습니다.', 'The file has no rows'],
      [
        'subject\nabc-123\n',
        'subject 열을 쓰려면 외부 인증 서비스(OIDC_ISSUER)',
        'Subjects need an identity provider',
      ],
      [
        `phone\n${Array.from({ length: 12 }, (_, i) => `bad${i}`).join('\n')}\n`,
        '2, 3, 4, 5, 6, 7, 8, 9, 10, 11번째 줄 외 2줄: 휴대전화 번호나 subject가 아닙니다.',
        'Line 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 2 more: not a mobile phone number or a subject',
      ],
    ];
    for (const [csv, ko, en] of cases) {
      const page = await adminPages.post(pagePath, { csv });
      t.is(page.status, 422);
      const shown = /id="csv-basic-error">([^<]*)</.exec(page.text)?.[1] ?? '';
      t.true(shown.startsWith(ko), shown);
      t.notRegex(page.text, /Quote Not Closed|Invalid Opening Quote|Line \d|no rows|Subjects need/);
      const english = await adminPages.post(`${pagePath}?lang=en`, { csv });
      t.true((/id="csv-basic-error">([^<]*)</.exec(english.text)?.[1] ?? '').startsWith(en));
    }
    // the API names csv-parse's line in details, its words in English in fields
    const api = await app.request('POST', listUrl(), { as: admin, json: { csv: cases[0]![0] } });
    t.is(api.json.error.details.line, 2);
    t.deepEqual(await listState(), before);
  },
);

test.serial(
  'the groups page shows a refused file back in its form, and a good one replaces the list',
  async (t) => {
    const before = await listState();
    const pagePath = `/admin/campaigns/${campaignId}/groups/basic/list`;
    const bad = await adminPages.post(pagePath, { csv: 'phone\n010-5554-0005\nnope\n' });
    t.is(bad.status, 422);
    t.regex(bad.text, /id="csv-basic-error">3번째 줄: 휴대전화 번호나 subject가 아닙니다.</);
    t.regex(bad.text, /nope/, 'the file is shown back to be fixed');
    t.regex(
      bad.text,
      /<li><a href="#csv-basic">기초생활수급자<\/a>: 3번째 줄/,
      'the summary names the group, not its key',
    );
    t.deepEqual(await listState(), before);
    const good = await adminPages.post(pagePath, { csv: 'phone\n010-5554-0005\n' });
    t.is(good.status, 303);
    t.regex(good.headers.get('location') ?? '', /imported=basic&members=1$/);
    const after = await listState();
    t.is(after.members.length, 1);
    t.is(after.audits, before.audits + 1);
    const en = await adminPages.get(`/admin/campaigns/${campaignId}/groups?lang=en`);
    t.is(en.status, 200);
    t.true(en.text.includes('Test vouchers'), "the campaign's English title");
    // A group the campaign does not have: a 404 page rather than the form, and the list stays.
    const nobody = await adminPages.post(`/admin/campaigns/${campaignId}/groups/nobody/list`, {
      csv: 'phone\n010-5554-0006\n',
    });
    t.is(nobody.status, 404);
    t.deepEqual(await listState(), after);
  },
);
