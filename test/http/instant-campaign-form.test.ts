// An instant sale has no draw and no claim window: the admin form does not ask for them, and neither the form nor
// POST/PUT /api/admin/campaigns requires or judges them for one; its stored moments follow its close. A lottery and a
// reservation still need theirs. A client that still sends them for a sale is answered as before.
import test from 'ava';
import { INSTANT_FINISHED_AFTER_HOURS } from '../../src/domain/campaign.js';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { type CookieSession, signInWithForm } from '../helpers/browserSession.js';
import { buildVoucherCampaign } from '../helpers/factories.js';

let app: TestApp;
let apiAdmin: StaffAuth;
let admin: CookieSession;

test.before(async () => {
  app = await startTestApp(); // 2026-12-01 00:00 KST
  apiAdmin = await app.staff('admin');
  admin = await signInWithForm(app, 'admin');
});
test.after.always(async () => {
  await app?.close();
});

const DRAW_MOMENTS = ['draw_at', 'claim_opens_at', 'claim_closes_at'] as const;
const HOUR = 3600_000;
const idFrom = (location: string | null) => /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(location ?? '')?.[1];

/** A sale as an operator sends it now: no draw time, no claim window. */
function saleBody(overrides: Record<string, unknown> = {}) {
  const body: Record<string, unknown> = buildVoucherCampaign(app.clock.now(), {
    mode: 'instant',
    total: 100 * 10_000,
    per_person_max: 20_000,
    ...overrides,
  });
  for (const k of DRAW_MOMENTS) if (!(k in overrides)) delete body[k];
  return body;
}

/** Its moments follow its close: closed and claiming at once, finished a day later. */
function followsClose(t: { is(a: unknown, b: unknown, m?: string): void }, c: Record<string, string>) {
  const closes = new Date(c.closes_at!).getTime();
  t.is(c.draw_at, c.closes_at, 'draw_at');
  t.is(c.claim_opens_at, c.closes_at, 'claim_opens_at');
  t.is(
    c.claim_closes_at,
    new Date(closes + INSTANT_FINISHED_AFTER_HOURS * HOUR).toISOString(),
    'claim_closes_at',
  );
}

test.serial('an instant sale is created over the API without a draw time or a claim window', async (t) => {
  const res = await app.request('POST', '/api/admin/campaigns', { as: apiAdmin, json: saleBody() });
  t.is(res.status, 201, res.text);
  followsClose(t, res.json.campaign);
  const row = await app.db('campaigns').where({ id: res.json.campaign.id }).first();
  t.is(row.draw_at.toISOString(), row.closes_at.toISOString());
});

test.serial(
  "a sale's draw moments sent by an older client are not read, so they cannot be at fault",
  async (t) => {
    const now = app.clock.now().getTime();
    // a draw before the close and a claim window ending before it starts: a lottery's faults, not a sale's
    const body = saleBody({
      draw_at: new Date(now + 2 * HOUR).toISOString(),
      claim_opens_at: new Date(now + 3 * HOUR).toISOString(),
      claim_closes_at: 'whenever',
    });
    const res = await app.request('POST', '/api/admin/campaigns', { as: apiAdmin, json: body });
    t.is(res.status, 201, res.text);
    followsClose(t, res.json.campaign);
    // and the whole body as such a client always sent it is still taken
    const old = buildVoucherCampaign(app.clock.now(), { mode: 'instant', total: 100 * 10_000 });
    const again = await app.request('POST', '/api/admin/campaigns', { as: apiAdmin, json: old });
    t.is(again.status, 201, again.text);
    followsClose(t, again.json.campaign);
  },
);

test.serial(
  'an instant draft is edited and scheduled without them; its moments follow a moved close',
  async (t) => {
    const made = await app.request('POST', '/api/admin/campaigns', { as: apiAdmin, json: saleBody() });
    t.is(made.status, 201, made.text);
    const { id, version } = made.json.campaign;
    const closes_at = new Date(app.clock.now().getTime() + 30 * HOUR).toISOString();
    const put = await app.request('PUT', `/api/admin/campaigns/${id}`, {
      as: apiAdmin,
      json: { ...saleBody({ code: made.json.campaign.code, closes_at }), version },
    });
    t.is(put.status, 200, put.text);
    t.is(put.json.campaign.closes_at, closes_at);
    followsClose(t, put.json.campaign);
    const scheduled = await app.request('POST', `/api/admin/campaigns/${id}/schedule`, {
      as: apiAdmin,
      json: {},
    });
    t.is(scheduled.status, 200, scheduled.text);
    t.is(scheduled.json.campaign.state, 'scheduled');
  },
);

test.serial(
  'a lottery and a reservation still need a draw time and a claim window, each named',
  async (t) => {
    for (const mode of ['lottery', 'reservation']) {
      const body: Record<string, unknown> = buildVoucherCampaign(app.clock.now(), { mode });
      for (const k of DRAW_MOMENTS) delete body[k];
      body.claim_opens_at = '';
      const res = await app.request('POST', '/api/admin/campaigns', { as: apiAdmin, json: body });
      t.is(res.status, 422, res.text);
      t.deepEqual(Object.keys(res.json.error.fields).sort(), [...DRAW_MOMENTS].sort(), mode);
      t.is(res.json.error.fields.draw_at, 'Required');
    }
    // a lottery's faults in them are still judged
    const late = buildVoucherCampaign(app.clock.now(), {
      draw_at: new Date(app.clock.now().getTime() + 2 * HOUR).toISOString(),
    });
    const res = await app.request('POST', '/api/admin/campaigns', { as: apiAdmin, json: late });
    t.is(res.status, 422);
    t.truthy(res.json.error.fields.draw_at);
  },
);

/** The new-campaign form as an operator fills it for a sale: the draw's fields left blank. */
function saleForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    code: `SALE${Math.random().toString(36).slice(2, 7).toUpperCase()}`,
    kind: 'voucher',
    mode: 'instant',
    title_ko: '즉시 구매 상품권',
    title_en: 'Instant vouchers',
    time_zone: 'Asia/Seoul',
    opens_at: '2026-12-02T09:00',
    closes_at: '2026-12-02T18:00',
    draw_at: '',
    claim_opens_at: '',
    claim_closes_at: '',
    unit: 'KRW',
    total: '1000000',
    denomination: '10000',
    per_person_max: '20000',
    partial: 'skip',
    unclaimed_policy: 'pass_down',
    verify_sms: 'on',
    ...overrides,
  };
}

test.serial('the form creates an instant sale with the draw time and claim window left blank', async (t) => {
  const res = await admin.post('/admin/campaigns/new', saleForm());
  t.is(res.status, 303, res.text.slice(0, 2000));
  const c = await app
    .db('campaigns')
    .where({ id: idFrom(res.headers.get('location')) })
    .first();
  t.is(c.mode, 'instant');
  t.is(c.closes_at.toISOString(), '2026-12-02T09:00:00.000Z'); // 18:00 KST
  t.is(c.draw_at.toISOString(), c.closes_at.toISOString());
  t.is(c.claim_opens_at.toISOString(), c.closes_at.toISOString());
  t.is(c.claim_closes_at.toISOString(), '2026-12-03T09:00:00.000Z');
});

test.serial(
  "a lottery's blank draw time and claim window are named on the form, nothing created",
  async (t) => {
    const before = Number((await app.db('campaigns').count('* as n').first())?.n);
    const res = await admin.post('/admin/campaigns/new', saleForm({ mode: 'lottery', draw_at: '  ' }));
    t.is(res.status, 422);
    for (const k of DRAW_MOMENTS) t.regex(res.text, new RegExp(`id="f-${k}-error">입력해 주세요.`), k);
    t.is(Number((await app.db('campaigns').count('* as n').first())?.n), before);
  },
);

test.serial('the form says which fields are only a draw’s, and shows a sale none to fill', async (t) => {
  const blank = await admin.get('/admin/campaigns/new');
  // the draw's fields in their own group, marked as a lottery's and a reservation's, with the sale's note
  const group =
    /<fieldset class="draw-only" id="draw-moments">([\s\S]*?)<\/fieldset>/.exec(blank.text)?.[1] ?? '';
  t.regex(group, /<legend>추첨과 수령 \(추첨·예약 배정 방식만\)<\/legend>/);
  for (const k of DRAW_MOMENTS) t.regex(group, new RegExp(`name="${k}"`), k);
  t.regex(
    blank.text,
    /<p class="note instant-only" id="instant-schedule-note">즉시 구매에는 추첨도 수령 기간도/,
  );
  t.regex(blank.text, /class="grid-2 draw-only">/, 'partial and unclaimed awards: a draw’s too');
  t.regex(
    blank.text,
    /<div class="field draw-only">\s*<label for="f-checkout_minutes">/,
    'a winner’s checkout time: a sale’s hold is its waiting room’s',
  );
  const en = await admin.get('/admin/campaigns/new?lang=en');
  t.regex(en.text, /<legend>Draw and collection \(lottery and reservation only\)<\/legend>/);

  const made = await admin.post('/admin/campaigns/new', saleForm());
  const id = idFrom(made.headers.get('location'));
  const edit = await admin.get(`/admin/campaigns/${id}/edit`);
  t.is(edit.status, 200);
  t.regex(edit.text, /<option value="instant" selected>/);
  // the moments stored for it are not its operator's: nothing to show, and a switch to a lottery asks for real ones
  for (const k of DRAW_MOMENTS)
    t.regex(edit.text, new RegExp(`name="${k}" type="datetime-local" value=""`), k);
  t.regex(edit.text, /name="closes_at" type="datetime-local" value="2026-12-02T18:00"/);
  const saved = await admin.post(`/admin/campaigns/${id}/edit`, {
    ...saleForm({
      code: (await app.db('campaigns').where({ id }).first()).code,
      closes_at: '2026-12-02T20:00',
    }),
    version: '1',
  });
  t.is(saved.status, 303, saved.text.slice(0, 2000));
  const c = await app.db('campaigns').where({ id }).first();
  t.is(c.draw_at.toISOString(), '2026-12-02T11:00:00.000Z', 'the moments follow the moved close');
});
