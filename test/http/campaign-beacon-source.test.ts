// A campaign's own beacon source (campaigns.beacon_source) over the API: set with the campaign (create, replace),
// each fault a catalogue key on its field and nothing stored; null is the service's BEACON_SOURCE. The opening
// commits the campaign's own sentence (or the default) with the seed; from then on a replace is refused and nothing
// changes the draw's. An instant sale has none, and is refused one.
import test from 'ava';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { drawContext, drawReconciler } from '../helpers/draw.js';
import { buildVoucherCampaign, createdVoucherCampaign } from '../helpers/factories.js';

const DEFAULT = 'drand quicknet: the randomness of the first round published after {closes_at}';
const LOTTO = '동행복권 로또 6/45 제1150회 당첨번호 (2026-12-12 추첨)';

let app: TestApp;
let admin: StaffAuth;

test.before(async () => {
  app = await startTestApp({ config: { BEACON_SOURCE: DEFAULT } }); // 2026-12-01 00:00 KST
  admin = await app.staff('admin');
});
test.after.always(async () => {
  await app?.close();
});

const rowOf = (id: string) => app.db('campaigns').where({ id }).first();
const drawOf = (id: string) => app.db('draws').where({ campaign_id: id }).first();
const countCampaigns = async () => Number((await app.db('campaigns').count('* as n').first())?.n);

const created = (overrides: Record<string, unknown> = {}) => createdVoucherCampaign(app, admin, overrides);

test.serial('a campaign created with its own beacon keeps it, trimmed, and the reads show it', async (t) => {
  const c = await created({ beacon_source: `  ${LOTTO}\n ` });
  t.is(c.beacon_source, LOTTO);
  t.is((await rowOf(c.id)).beacon_source, LOTTO);
  const read = await app.request('GET', `/api/admin/campaigns/${c.id}`, { as: admin });
  t.is(read.json.campaign.beacon_source, LOTTO);
});

test.serial('blank, null or left out is the service default: null stored and shown', async (t) => {
  for (const beacon_source of ['   ', null, undefined]) {
    const c = await created(beacon_source === undefined ? {} : { beacon_source });
    t.is(c.beacon_source, null);
    t.is((await rowOf(c.id)).beacon_source, null);
  }
});

test.serial('an instant sale has no draw: none is a beacon it may be sent', async (t) => {
  const c = await created({ mode: 'instant', beacon_source: null });
  t.is(c.beacon_source, null);
  t.is((await rowOf(c.id)).beacon_source, null);
});

const bad: Array<[string, unknown, string, Record<string, unknown>?]> = [
  ['too long', `${LOTTO} ${'가'.repeat(300)}`, 'At most 300 characters'],
  ['too short to name anything', '로또', 'At least 5 characters'],
  ['a control character', `${LOTTO}\u0007`, 'Contains a control character: only line breaks are kept'],
  [
    'a text-direction control',
    `drand \u202Equicknet`,
    'Contains a text-direction control character (U+202A-202E, U+2066-2069)',
  ],
  [
    "the default's {closes_at} left in",
    'drand quicknet: the first round after {closes_at}',
    "Write the moment itself: {closes_at} is filled in only in the service's default sentence",
  ],
  // any at all, for a sale: it has no draw to seed
  [
    'an instant sale',
    LOTTO,
    'Only a lottery or a reservation has this: leave it blank for an instant sale',
    { mode: 'instant' },
  ],
];

for (const [name, beacon_source, words, overrides] of bad) {
  test.serial(`refused, nothing created: a beacon source with ${name}`, async (t) => {
    const before = await countCampaigns();
    const res = await app.request('POST', '/api/admin/campaigns', {
      as: admin,
      json: buildVoucherCampaign(app.clock.now(), { ...overrides, beacon_source }),
    });
    t.is(res.status, 422, res.text);
    t.is(res.json.error.code, 'validation_failed');
    t.deepEqual(res.json.error.fields, { beacon_source: words });
    t.is(await countCampaigns(), before);
  });
}

test.serial(
  'a replace sets the beacon; a bad one changes nothing; one left out is the default',
  async (t) => {
    const c = await created({ beacon_source: LOTTO });
    const body = { ...buildVoucherCampaign(app.clock.now()), version: c.version };
    const refused = await app.request('PUT', `/api/admin/campaigns/${c.id}`, {
      as: admin,
      json: { ...body, title_ko: '바뀐 제목', beacon_source: 'x\ty\tz' },
    });
    t.is(refused.status, 422);
    t.deepEqual(Object.keys(refused.json.error.fields), ['beacon_source']);
    t.like(await rowOf(c.id), { beacon_source: LOTTO, version: c.version, title_ko: '테스트 상품권' });

    const other = '동행복권 로또 6/45 제1151회 당첨번호 (2026-12-19 추첨)';
    const ok = await app.request('PUT', `/api/admin/campaigns/${c.id}`, {
      as: admin,
      json: { ...body, beacon_source: other },
    });
    t.is(ok.status, 200, ok.text);
    t.is(ok.json.campaign.beacon_source, other);
    t.is((await rowOf(c.id)).beacon_source, other);

    const cleared = await app.request('PUT', `/api/admin/campaigns/${c.id}`, {
      as: admin,
      json: { ...buildVoucherCampaign(app.clock.now()), version: ok.json.campaign.version },
    });
    t.is(cleared.json.campaign.beacon_source, null);
  },
);

test.serial(
  'the opening commits the campaign’s own sentence (or the default); after it a replace cannot change it',
  async (t) => {
    const own = await created({ beacon_source: LOTTO });
    const plain = await created();
    for (const c of [own, plain])
      t.is(
        (await app.request('POST', `/api/admin/campaigns/${c.id}/schedule`, { as: admin, json: {} })).status,
        200,
      );
    const opensAt = (await rowOf(own.id)).opens_at as Date;
    const closesAt = (await rowOf(plain.id)).closes_at as Date;
    app.clock.set(opensAt);
    await drawReconciler(drawContext(app.db, app.clock, { beaconSource: DEFAULT })).runOnce();
    t.is((await rowOf(own.id)).state, 'open');
    t.is((await drawOf(own.id)).beacon_source, LOTTO);
    t.is(
      (await drawOf(plain.id)).beacon_source,
      `drand quicknet: the randomness of the first round published after ${closesAt.toISOString()}`,
    );
    const published = await app.request('GET', `/api/campaigns/${own.id}/audit`);
    t.is(published.json.draw.beacon_source, LOTTO);

    // an open campaign is no longer edited: a replace with another beacon is refused and changes nothing
    const row = await rowOf(own.id);
    const other = '동행복권 로또 6/45 제1151회 당첨번호 (2026-12-19 추첨)';
    const put = await app.request('PUT', `/api/admin/campaigns/${own.id}`, {
      as: admin,
      json: { ...buildVoucherCampaign(app.clock.now()), version: row.version, beacon_source: other },
    });
    t.is(put.status, 409, put.text);
    t.is(put.json.error.code, 'campaign_not_editable');
    t.like(await rowOf(own.id), { beacon_source: LOTTO, version: row.version });
    // even a change behind the service's back (the database) does not reach the committed sentence
    await app.db('campaigns').where({ id: plain.id }).update({ beacon_source: other });
    await drawReconciler(drawContext(app.db, app.clock, { beaconSource: DEFAULT })).runOnce();
    t.regex((await drawOf(plain.id)).beacon_source, /^drand quicknet/);
  },
);

test.serial(
  'a beacon published before the close is refused, in the page language too, and nothing is made',
  async (t) => {
    const before = await countCampaigns();
    const early = '동행복권 로또 6/45 제1148회 당첨번호 (2026-11-28 추첨)';
    const res = await app.request('POST', '/api/admin/campaigns', {
      as: admin,
      json: { ...buildVoucherCampaign(app.clock.now()), beacon_source: early },
    });
    t.is(res.status, 422, res.text);
    t.deepEqual(Object.keys(res.json.error.fields), ['beacon_source']);
    t.regex(res.json.error.fields.beacon_source, /2026-11-28, before applications close/);
    t.is(await countCampaigns(), before);
  },
);
