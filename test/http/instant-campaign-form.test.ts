// An instant sale has no draw and no claim window: the admin form does not ask for them, and neither the form nor
// POST/PUT /api/admin/campaigns requires them for one; its stored moments follow its close. A lottery and a
// reservation still need theirs. What only a draw has (its moments, its beacon, its rules), sent for a sale with a
// value other than the one the sale has anyway, is refused on each field (not_for_instant) and nothing changes; the
// value a read shows, or none, is taken, and so is what the form posts from its hidden fields.
import test from 'ava';
import { DateTime } from 'luxon';
import { INSTANT_FINISHED_AFTER_HOURS } from '../../src/domain/campaign.js';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { type CookieSession, signInWithForm } from '../helpers/browserSession.js';
import { buildVoucherCampaign, VOUCHER_FORM_FIELDS } from '../helpers/factories.js';
import { fieldError } from '../helpers/fieldError.js';
import { formPostOf } from '../helpers/formPost.js';

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
function saleBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return buildVoucherCampaign(app.clock.now(), {
    mode: 'instant',
    total: 100 * 10_000,
    per_person_max: 20_000,
    ...overrides,
  });
}

const countCampaigns = async () => Number((await app.db('campaigns').count('* as n').first())?.n);
const rowOf = (id: string) => app.db('campaigns').where({ id }).first();
const NOT_FOR_INSTANT = 'Only a lottery or a reservation has this: leave it blank for an instant sale';
const LOTTO = '동행복권 로또 6/45 제1150회 당첨번호 (2026-12-12 추첨)';
/** Everything only a draw has, each with a value a lottery could have and a sale does not. */
const DRAWS_OWN = (now: number) => ({
  draw_at: new Date(now + 50 * HOUR).toISOString(),
  claim_opens_at: new Date(now + 51 * HOUR).toISOString(),
  claim_closes_at: new Date(now + 30 * 24 * HOUR).toISOString(),
  beacon_source: LOTTO,
  partial: 'partial',
  unclaimed_policy: 'return',
  claim_period_hours: 24,
  checkout_minutes: 15,
});
const DRAW_ONLY = Object.keys(DRAWS_OWN(0)).sort();

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
  'what only a draw has, sent for a sale with values of its own, is refused on each field; nothing is created',
  async (t) => {
    const before = await countCampaigns();
    const res = await app.request('POST', '/api/admin/campaigns', {
      as: apiAdmin,
      json: saleBody(DRAWS_OWN(app.clock.now().getTime())),
    });
    t.is(res.status, 422, res.text);
    t.is(res.json.error.code, 'validation_failed');
    t.deepEqual(res.json.error.fields, Object.fromEntries(DRAW_ONLY.map((k) => [k, NOT_FOR_INSTANT])));
    // a value that is not even a moment (or a number) is no less one a sale does not have
    const odd = await app.request('POST', '/api/admin/campaigns', {
      as: apiAdmin,
      json: saleBody({ claim_closes_at: 'whenever', checkout_minutes: 'soon', partial: 'some' }),
    });
    t.is(odd.status, 422, odd.text);
    t.deepEqual(odd.json.error.fields, {
      claim_closes_at: NOT_FOR_INSTANT,
      checkout_minutes: NOT_FOR_INSTANT,
      partial: NOT_FOR_INSTANT,
    });
    // and each is named along with the sale's other faults, at once
    const both = await app.request('POST', '/api/admin/campaigns', {
      as: apiAdmin,
      json: saleBody({ draw_at: new Date(app.clock.now().getTime() + 2 * HOUR).toISOString(), title_en: '' }),
    });
    t.deepEqual(both.json.error.fields, { title_en: 'Required', draw_at: NOT_FOR_INSTANT });
    t.is(await countCampaigns(), before);
  },
);

test.serial(
  "a sale's edit naming a draw time of its own is refused, and the sale is as it was",
  async (t) => {
    const made = await app.request('POST', '/api/admin/campaigns', { as: apiAdmin, json: saleBody() });
    t.is(made.status, 201, made.text);
    const { id, version, code, closes_at } = made.json.campaign;
    const before = await rowOf(id);
    const draw_at = new Date(new Date(closes_at).getTime() + HOUR).toISOString();
    const put = await app.request('PUT', `/api/admin/campaigns/${id}`, {
      as: apiAdmin,
      json: { ...saleBody({ code, draw_at, title_en: 'Renamed sale' }), version },
    });
    t.is(put.status, 422, put.text);
    t.is(put.json.error.code, 'validation_failed');
    t.deepEqual(put.json.error.fields, { draw_at: NOT_FOR_INSTANT });
    t.deepEqual(await rowOf(id), before, 'nothing changed: not the title, not the version');
    const read = await app.request('GET', `/api/admin/campaigns/${id}`, { as: apiAdmin });
    t.is(read.json.campaign.draw_at, closes_at);
    t.is(read.json.campaign.title.en, before.title_en);
  },
);

test.serial('a sale sent back as it was read is taken: its own moments and rules, or none', async (t) => {
  const made = await app.request('POST', '/api/admin/campaigns', { as: apiAdmin, json: saleBody() });
  t.is(made.status, 201, made.text);
  const { id, code } = made.json.campaign;
  const read = async () =>
    (await app.request('GET', `/api/admin/campaigns/${id}`, { as: apiAdmin })).json.campaign;
  /** Its draw's fields as a read shows them (the PUT takes checkout_minutes at the top, the read shows it in price). */
  const asRead = (c: Record<string, unknown> & { price: Record<string, unknown> }) => ({
    ...Object.fromEntries(DRAW_ONLY.map((k) => [k, c[k]])),
    checkout_minutes: c.price.checkout_minutes,
  });
  const c = await read();
  t.deepEqual(asRead(c), {
    draw_at: c.closes_at,
    claim_opens_at: c.closes_at,
    claim_closes_at: new Date(
      new Date(c.closes_at).getTime() + INSTANT_FINISHED_AFTER_HOURS * HOUR,
    ).toISOString(),
    beacon_source: null,
    partial: 'skip',
    unclaimed_policy: 'pass_down',
    claim_period_hours: 72,
    checkout_minutes: 30,
  });
  const same = await app.request('PUT', `/api/admin/campaigns/${id}`, {
    as: apiAdmin,
    json: { ...saleBody({ code, ...asRead(c), title_en: 'Sent back' }), version: c.version },
  });
  t.is(same.status, 200, same.text);
  t.is(same.json.campaign.title.en, 'Sent back');
  // the same moment written in the campaign's zone is the same value
  const local = (iso: string) => DateTime.fromISO(iso).setZone('Asia/Seoul').toISO()!;
  const again = await read();
  const zoned = await app.request('PUT', `/api/admin/campaigns/${id}`, {
    as: apiAdmin,
    json: {
      ...saleBody({ code, draw_at: local(again.draw_at), claim_closes_at: local(again.claim_closes_at) }),
      version: again.version,
    },
  });
  t.is(zoned.status, 200, zoned.text);
  // none: null, blank, or left out
  const nulls = Object.fromEntries(DRAW_ONLY.map((k, i) => [k, i % 2 ? null : '']));
  const none = await app.request('PUT', `/api/admin/campaigns/${id}`, {
    as: apiAdmin,
    json: { ...saleBody({ code, ...nulls }), version: zoned.json.campaign.version },
  });
  t.is(none.status, 200, none.text);
  t.deepEqual(asRead(none.json.campaign), asRead(c), 'the sale has what it had');
});

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

test.serial('a lottery keeps what only a draw has, as sent, and an edit may move its draw', async (t) => {
  const now = app.clock.now().getTime();
  const res = await app.request('POST', '/api/admin/campaigns', {
    as: apiAdmin,
    json: buildVoucherCampaign(app.clock.now(), DRAWS_OWN(now)),
  });
  t.is(res.status, 201, res.text);
  const { id, code, version } = res.json.campaign;
  t.like(await rowOf(id), {
    beacon_source: LOTTO,
    partial: 'partial',
    unclaimed_policy: 'return',
    claim_period_hours: 24,
    checkout_minutes: 15,
  });
  const draw_at = new Date(now + 50.5 * HOUR).toISOString();
  const put = await app.request('PUT', `/api/admin/campaigns/${id}`, {
    as: apiAdmin,
    json: { ...buildVoucherCampaign(app.clock.now(), { ...DRAWS_OWN(now), code, draw_at }), version },
  });
  t.is(put.status, 200, put.text);
  t.is(put.json.campaign.draw_at, draw_at);
});

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

test.serial(
  "a sale's edit page posts back what it shows, its hidden draw fields too, and is saved",
  async (t) => {
    const made = await admin.post('/admin/campaigns/new', saleForm());
    const id = idFrom(made.headers.get('location'))!;
    const before = await rowOf(id);
    const page = await admin.get(`/admin/campaigns/${id}/edit`);
    const posted = formPostOf(page.text, `/admin/campaigns/${id}/edit`);
    // what a browser sends from the fields site.css hides for a sale: nothing a sale does not have
    t.like(posted, {
      mode: 'instant',
      draw_at: '',
      claim_opens_at: '',
      claim_closes_at: '',
      beacon_source: '',
      partial: 'skip',
      unclaimed_policy: 'pass_down',
      claim_period_hours: '72',
      checkout_minutes: '30',
    });
    const saved = await admin.post(`/admin/campaigns/${id}/edit`, { ...posted, title_en: 'Saved as shown' });
    t.is(saved.status, 303, saved.text.slice(0, 2000));
    const after = await rowOf(id);
    t.is(after.title_en, 'Saved as shown');
    t.is(after.version, before.version + 1);
    for (const k of [...DRAW_MOMENTS, 'beacon_source', 'partial', 'unclaimed_policy', 'checkout_minutes'])
      t.deepEqual(after[k], before[k], k);
    // a sale saved with a draw's rules of its own before they were refused: its page offers the sale's, and saves
    await app.db('campaigns').where({ id }).update({ partial: 'partial', checkout_minutes: 15 });
    const old = await admin.get(`/admin/campaigns/${id}/edit`);
    const resaved = await admin.post(
      `/admin/campaigns/${id}/edit`,
      formPostOf(old.text, `/admin/campaigns/${id}/edit`),
    );
    t.is(resaved.status, 303, resaved.text.slice(0, 2000));
    t.like(await rowOf(id), { partial: 'skip', checkout_minutes: 30, version: before.version + 2 });
  },
);

test.serial(
  "a lottery's draw fields left filled when the form is switched to a sale are refused on each, in view",
  async (t) => {
    const before = await countCampaigns();
    // the lottery's fields as typed, then the mode changed to instant: the hidden inputs are still sent
    const res = await admin.post('/admin/campaigns/new', {
      ...VOUCHER_FORM_FIELDS,
      code: `SWAP${Math.random().toString(36).slice(2, 7).toUpperCase()}`,
      mode: 'instant',
      beacon_source: LOTTO,
      checkout_minutes: '15',
      verify_sms: 'on',
    });
    t.is(res.status, 422);
    t.is(await countCampaigns(), before, 'nothing created');
    for (const k of [...DRAW_MOMENTS, 'beacon_source', 'checkout_minutes'])
      t.is(fieldError(res.text, k), '추첨·예약 배정 방식에만 있는 항목입니다. 즉시 구매라면 비워 두세요.', k);
    for (const k of ['partial', 'unclaimed_policy', 'claim_period_hours'])
      t.is(fieldError(res.text, k), '(no error shown)', k);
    // the groups holding them stay in view for a sale (site.css), the rest of a draw's fields do not
    t.regex(res.text, /<fieldset class="draw-only refused" id="draw-moments">/);
    t.regex(res.text, /<fieldset class="draw-only refused" id="beacon-fields">/);
    t.regex(res.text, /<div class="field draw-only refused has-error">\s*<label for="f-checkout_minutes">/);
    t.regex(res.text, /<div class="field draw-only">\s*<label for="f-claim_period_hours">/);
    t.regex(res.text, /<div class="grid-2 draw-only">/);
    // cleared, the same form is taken
    const cleared = await admin.post('/admin/campaigns/new', {
      ...formPostOf(res.text, '/admin/campaigns/new'),
      draw_at: '',
      claim_opens_at: '',
      claim_closes_at: '',
      beacon_source: '',
      checkout_minutes: '',
    });
    t.is(cleared.status, 303, cleared.text.slice(0, 2000));
    t.is(await countCampaigns(), before + 1);
  },
);
