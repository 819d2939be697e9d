// A campaign's own beacon source in the admin pages: the campaign form (create, edit; hidden with the draw's other
// fields for an instant sale) names the service's default sentence and that the source is fixed at the opening; a
// fault is worded on its field in the page's language with what was typed kept, and nothing is saved. The overview
// names the beacon the draw uses: the committed one once opened, when the form is no longer offered.
import test from 'ava';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { type CookieSession, signInWithForm } from '../helpers/browserSession.js';
import { drawContext, drawReconciler } from '../helpers/draw.js';
import { createdVoucherCampaign, VOUCHER_FORM_FIELDS } from '../helpers/factories.js';
import { fieldError } from '../helpers/fieldError.js';

const DEFAULT = 'drand quicknet: the randomness of the first round published after {closes_at}';
const LOTTO = '동행복권 로또 6/45 제1150회 당첨번호 (2026-12-12 추첨)';

let app: TestApp;
let admin: StaffAuth;
let formAdmin: CookieSession;

test.before(async () => {
  app = await startTestApp({ config: { BEACON_SOURCE: DEFAULT } }); // 2026-12-01 00:00 KST
  admin = await app.staff('admin');
  formAdmin = await signInWithForm(app, 'admin');
});
test.after.always(async () => {
  await app?.close();
});

const rowOf = (id: string) => app.db('campaigns').where({ id }).first();

const created = (overrides: Record<string, unknown> = {}) => createdVoucherCampaign(app, admin, overrides);

let formCodes = 0;
const shownText = (page: string, field: string) =>
  new RegExp(`name="${field}" [^>]*>([^<]*)</textarea>`).exec(page)?.[1] ?? '(no field)';

test.serial(
  'the campaign form names the default sentence and that the source is fixed at the opening',
  async (t) => {
    const ko = await formAdmin.get('/admin/campaigns/new');
    t.is(ko.status, 200);
    t.regex(ko.text, /<fieldset class="draw-only" id="beacon-fields">/);
    t.regex(ko.text, /<label for="f-beacon_source">비컨 출처<\/label>/);
    t.regex(
      ko.text,
      // the default sentence quoted and closed, so the next sentence does not run on from it
      /비워 두면 서비스 기본 문장을 씁니다: 「drand quicknet: the randomness of the first round published after 〈신청 마감 시각〉」\. 신청이 시작되는 순간/,
    );
    t.regex(ko.text, /신청이 시작되는 순간 이 문장이 시드 약속과 함께 공개·확정되며/);
    t.is(shownText(ko.text, 'beacon_source'), '');
    const en = await formAdmin.get('/admin/campaigns/new?lang=en');
    t.regex(en.text, /<label for="f-beacon_source">Beacon source<\/label>/);
    t.regex(
      en.text,
      /Leave it blank for the service&#39;s default sentence: “drand quicknet: [^”]+”\. At the window&#39;s opening/,
    );
  },
);

test.serial('the form keeps a campaign’s own beacon, shows it on edit and on the overview', async (t) => {
  const res = await formAdmin.post('/admin/campaigns/new', {
    ...VOUCHER_FORM_FIELDS,
    code: `BEACON${++formCodes}`,
    beacon_source: LOTTO,
  });
  t.is(res.status, 303, res.text.slice(0, 500));
  const id = /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')![1]!;
  t.is((await rowOf(id)).beacon_source, LOTTO);

  const overview = await formAdmin.get(`/admin/campaigns/${id}`);
  t.regex(
    overview.text,
    new RegExp(
      `id="beacon-facts"><span class="beacon-sentence">${LOTTO.replace(/[()/]/g, '\\$&')}</span> <span class="hint">\\(이 사업이 지정함`,
    ),
  );

  const edit = await formAdmin.get(`/admin/campaigns/${id}/edit`);
  t.is(shownText(edit.text, 'beacon_source'), LOTTO);
  // the default for this campaign is named with its own closing time, as its opening would commit it
  t.regex(edit.text, /published after 2026-12-04T09:00:00\.000Z/);

  const version = String((await rowOf(id)).version);
  const code = (await rowOf(id)).code as string;
  const editWith = (beacon_source: string) =>
    formAdmin.post(`/admin/campaigns/${id}/edit`, { ...VOUCHER_FORM_FIELDS, code, version, beacon_source });
  const refused = await editWith('drand quicknet: the first round after {closes_at}');
  t.is(refused.status, 422);
  t.is(
    fieldError(refused.text, 'beacon_source'),
    '{closes_at} 자리는 서비스 기본 문장에서만 채워집니다. 날짜와 회차를 직접 적어 주세요.',
  );
  t.regex(refused.text, /<a href="#f-beacon_source">비컨 출처<\/a>/);
  t.is(shownText(refused.text, 'beacon_source'), 'drand quicknet: the first round after {closes_at}');
  t.is((await rowOf(id)).beacon_source, LOTTO);
  // a value published before the close: refused on its field, naming the date
  const early = await editWith('동행복권 로또 6/45 제1148회 당첨번호 (2026-11-28 추첨)');
  t.is(early.status, 422);
  t.regex(
    fieldError(early.text, 'beacon_source'),
    /^이 문장이 가리키는 2026-11-28은\(는\) 신청 마감보다 앞섭니다/,
  );
  t.is((await rowOf(id)).beacon_source, LOTTO);

  const cleared = await formAdmin.post(`/admin/campaigns/${id}/edit`, {
    ...VOUCHER_FORM_FIELDS,
    code,
    version,
    beacon_source: '',
  });
  t.is(cleared.status, 303, cleared.text.slice(0, 500));
  t.is((await rowOf(id)).beacon_source, null);
  const after = await formAdmin.get(`/admin/campaigns/${id}`);
  t.regex(
    after.text,
    /id="beacon-facts"><span class="beacon-sentence">drand quicknet: the randomness of the first round published after 2026-12-04T09:00:00\.000Z<\/span> <span class="hint">\(서비스 기본값/,
  );
});

test.serial(
  'once opened the form is not offered nor taken, and the overview names the committed sentence',
  async (t) => {
    const c = await created({ beacon_source: LOTTO });
    t.is(
      (await app.request('POST', `/api/admin/campaigns/${c.id}/schedule`, { as: admin, json: {} })).status,
      200,
    );
    app.clock.set((await rowOf(c.id)).opens_at);
    await drawReconciler(drawContext(app.db, app.clock, { beaconSource: DEFAULT })).runOnce();
    const row = await rowOf(c.id);
    t.is(row.state, 'open');

    t.is((await formAdmin.get(`/admin/campaigns/${c.id}/edit`)).status, 409);
    const form = await formAdmin.post(`/admin/campaigns/${c.id}/edit`, {
      ...VOUCHER_FORM_FIELDS,
      code: row.code,
      version: String(row.version),
      beacon_source: '동행복권 로또 6/45 제1151회 당첨번호 (2026-12-19 추첨)',
    });
    t.is(form.status, 409);
    t.like(await rowOf(c.id), { beacon_source: LOTTO, version: row.version });
    t.is((await app.db('draws').where({ campaign_id: c.id }).first()).beacon_source, LOTTO);
    const overview = await formAdmin.get(`/admin/campaigns/${c.id}`);
    t.regex(
      overview.text,
      /id="beacon-facts"><span class="beacon-sentence">동행복권 로또 6\/45 제1150회 [^<]*<\/span> <span class="hint">\(신청 시작 때 확정·공개됨\)/,
    );
  },
);

test.serial('the overview of an instant sale names no beacon', async (t) => {
  const c = await created({ mode: 'instant' });
  const overview = await formAdmin.get(`/admin/campaigns/${c.id}`);
  t.is(overview.status, 200);
  t.notRegex(overview.text, /id="beacon-facts"/);
});
