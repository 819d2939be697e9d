import test from 'ava';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { buildGoodsCampaign, buildVoucherCampaign } from '../helpers/factories.js';

let app: TestApp;
let admin: StaffAuth;
const SITES = ['PH-A', 'PH-B'];

test.before(async () => {
  app = await startTestApp();
  admin = await app.staff('admin');
  for (const id of SITES) {
    const res = await app.request('PUT', `/api/admin/sites/${id}`, {
      as: admin,
      json: { name_ko: `약국 ${id}`, name_en: `Pharmacy ${id}`, district: '중구' },
    });
    if (res.status !== 200) throw new Error(res.text);
  }
});
test.after.always(async () => {
  await app?.close();
});

const countCampaigns = async () => Number((await app.db('campaigns').count('* as n').first())?.n);
const countAudit = async () => Number((await app.db('audit_log').count('* as n').first())?.n);

test.serial('an admin creates a voucher campaign and reads it back', async (t) => {
  const body = buildVoucherCampaign(app.clock.now());
  const res = await app.request('POST', '/api/admin/campaigns', { as: admin, json: body });
  t.is(res.status, 201, res.text);
  t.is(res.json.campaign.state, 'draft');
  t.is(res.json.campaign.per_person_max, 250_000);
  t.is(res.headers.get('location'), `/api/admin/campaigns/${res.json.campaign.id}`);
  const read = await app.request('GET', `/api/admin/campaigns/${res.json.campaign.id}`, { as: admin });
  t.is(read.json.campaign.code, body.code);
  t.is(read.json.campaign.opens_at, body.opens_at);
});

test.serial('a goods campaign keeps its slots; local times are read in the campaign time zone', async (t) => {
  const body = buildGoodsCampaign(app.clock.now(), SITES, {
    opens_at: '2026-12-01T08:00',
    closes_at: '2026-12-03T09:00',
    draw_at: '2026-12-03T10:00',
    claim_opens_at: '2026-12-03T11:00', // slots start at 12:00
    claim_closes_at: '2026-12-31T00:00',
  });
  const res = await app.request('POST', '/api/admin/campaigns', { as: admin, json: body });
  t.is(res.status, 201, res.text);
  t.is(res.json.campaign.opens_at, '2026-11-30T23:00:00.000Z'); // 08:00 KST
  t.is(res.json.campaign.slots.length, 4);
});

const invalid: Array<[string, (now: Date) => Record<string, unknown>, string]> = [
  [
    'window ends before it starts',
    (now) =>
      buildVoucherCampaign(now, {
        closes_at: new Date(now.getTime() + 1000).toISOString(),
        opens_at: new Date(now.getTime() + 3600_000).toISOString(),
      }),
    'closes_at',
  ],
  [
    'draw before close',
    (now) => buildVoucherCampaign(now, { draw_at: new Date(now.getTime() + 2 * 3600_000).toISOString() }),
    'draw_at',
  ],
  [
    'denomination not dividing the limit',
    (now) => buildVoucherCampaign(now, { per_person_max: 255_000 }),
    'per_person_max',
  ],
  ['negative budget', (now) => buildVoucherCampaign(now, { total: -10_000 }), 'total'],
  ['budget not in denominations', (now) => buildVoucherCampaign(now, { total: 1_000_005 }), 'total'],
  [
    'claim window before the draw',
    (now) =>
      buildVoucherCampaign(now, { claim_opens_at: new Date(now.getTime() + 2 * 3600_000).toISOString() }),
    'claim_opens_at',
  ],
  ['voucher counted in items', (now) => buildVoucherCampaign(now, { unit: 'item' }), 'unit'],
  ['unknown time zone', (now) => buildVoucherCampaign(now, { time_zone: 'Mars/Olympus' }), 'time_zone'],
  ['not a date', (now) => buildVoucherCampaign(now, { opens_at: 'next tuesday' }), 'opens_at'],
  ['bad code', (now) => buildVoucherCampaign(now, { code: 'no spaces!' }), 'code'],
  [
    'reserved quotas over the total',
    (now) => buildVoucherCampaign(now, { total: 100_000, groups: [{ name: 'elderly', reserved: 200_000 }] }),
    'groups',
  ],
  ['slot capacities not adding up', (now) => buildGoodsCampaign(now, SITES, { total: 999 }), 'slots'],
  [
    'slot at an unknown site',
    (now) => ({
      ...buildGoodsCampaign(now, ['PH-A']),
      slots: [{ ...buildGoodsCampaign(now, ['PH-A']).slots[0], site_id: 'NOPE' }],
      total: 50,
    }),
    'slots.0.site_id',
  ],
  [
    'slot outside the claim window',
    (now) => {
      const b = buildGoodsCampaign(now, ['PH-A']);
      return { ...b, slots: b.slots.map((s) => ({ ...s, starts_at: b.opens_at })) };
    },
    'slots.0.starts_at',
  ],
  [
    'min age above max age',
    (now) => buildVoucherCampaign(now, { eligibility: { min_age: 70, max_age: 60 } }),
    'eligibility.max_age',
  ],
  ['missing title', (now) => buildVoucherCampaign(now, { title_ko: '' }), 'title_ko'],
  ['the instant mode for goods', (now) => buildGoodsCampaign(now, ['PH-A'], { mode: 'instant' }), 'mode'],
];

for (const [name, build, field] of invalid) {
  test.serial(`validation: ${name} is refused with a field error and nothing is stored`, async (t) => {
    const before = [await countCampaigns(), await countAudit()];
    const res = await app.request('POST', '/api/admin/campaigns', {
      as: admin,
      json: build(app.clock.now()),
    });
    t.is(res.status, 422, res.text);
    t.is(res.json.error.code, 'validation_failed');
    t.truthy(
      res.json.error.fields[field],
      `expected an error on ${field}, got ${JSON.stringify(res.json.error.fields)}`,
    );
    t.deepEqual([await countCampaigns(), await countAudit()], before);
  });
}

test.serial(
  'every fault of a campaign is reported in one answer, each on its field, in English',
  async (t) => {
    const before = [await countCampaigns(), await countAudit()];
    const body = buildVoucherCampaign(app.clock.now(), {
      verification_methods: [],
      opens_at: 'soon',
      total: 900000000000000000,
      per_person_max: 255000,
      eligibility: { min_age: 70, max_age: 60 },
    });
    const res = await app.request('POST', '/api/admin/campaigns', { as: admin, json: body });
    t.is(res.status, 422, res.text);
    t.is(res.json.error.code, 'validation_failed');
    t.deepEqual(res.json.error.fields, {
      // the schema's faults, the dates read after them, and the campaign's rules over the fields that were read
      verification_methods: 'Allow at least one way to verify',
      total: 'Must be at most 1000000000000',
      opens_at: 'Not a date and time (e.g. 2026-12-05 09:00, or ISO 8601)',
      'eligibility.max_age': 'The maximum age must not be below the minimum age',
      per_person_max: 'The denomination must divide the per-person limit',
    });
    t.deepEqual([await countCampaigns(), await countAudit()], before);
  },
);

test.serial('a duplicate campaign code is refused', async (t) => {
  const body = buildVoucherCampaign(app.clock.now());
  t.is((await app.request('POST', '/api/admin/campaigns', { as: admin, json: body })).status, 201);
  const again = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: { ...body, code: body.code.toLowerCase() },
  });
  t.is(again.status, 409);
  t.is(again.json.error.code, 'duplicate_code');
  // Nor may an edit take another campaign's code; the edited campaign keeps its own.
  const other = buildVoucherCampaign(app.clock.now());
  const created = (await app.request('POST', '/api/admin/campaigns', { as: admin, json: other })).json
    .campaign;
  const taken = await app.request('PUT', `/api/admin/campaigns/${created.id}`, {
    as: admin,
    json: { ...other, code: body.code, version: created.version },
  });
  t.is(taken.status, 409, taken.text);
  t.is(taken.json.error.code, 'duplicate_code');
  t.truthy(taken.json.error.fields.code);
  t.like(await app.db('campaigns').where({ id: created.id }).first(), {
    code: other.code,
    version: created.version,
  });
});

test.serial('edit needs the current version; a stale one is a conflict and changes nothing', async (t) => {
  const body = buildVoucherCampaign(app.clock.now());
  const created = (await app.request('POST', '/api/admin/campaigns', { as: admin, json: body })).json
    .campaign;
  const ok = await app.request('PUT', `/api/admin/campaigns/${created.id}`, {
    as: admin,
    json: { ...body, title_en: 'Renamed', version: created.version },
  });
  t.is(ok.status, 200, ok.text);
  t.is(ok.json.campaign.title.en, 'Renamed');
  const stale = await app.request('PUT', `/api/admin/campaigns/${created.id}`, {
    as: admin,
    json: { ...body, title_en: 'Lost update', version: created.version },
  });
  t.is(stale.status, 409);
  t.is(stale.json.error.code, 'conflict');
  const read = await app.request('GET', `/api/admin/campaigns/${created.id}`, { as: admin });
  t.is(read.json.campaign.title.en, 'Renamed');
});

test.serial('schedule, unschedule and cancel follow the allowed transitions, each audited', async (t) => {
  const created = (
    await app.request('POST', '/api/admin/campaigns', {
      as: admin,
      json: buildVoucherCampaign(app.clock.now()),
    })
  ).json.campaign;
  const path = (a: string) => `/api/admin/campaigns/${created.id}/${a}`;
  t.is(
    (await app.request('POST', path('schedule'), { as: admin, json: {} })).json.campaign.state,
    'scheduled',
  );
  const again = await app.request('POST', path('schedule'), { as: admin, json: {} });
  t.is(again.status, 409);
  t.is(again.json.error.code, 'invalid_transition');
  t.is((await app.request('POST', path('unschedule'), { as: admin, json: {} })).json.campaign.state, 'draft');
  t.is(
    (await app.request('POST', path('cancel'), { as: admin, json: { reason: 'budget withdrawn' } })).json
      .campaign.state,
    'cancelled',
  );
  const edit = await app.request('PUT', `/api/admin/campaigns/${created.id}`, {
    as: admin,
    json: { ...buildVoucherCampaign(app.clock.now()), code: created.code, version: 4 },
  });
  t.is(edit.status, 409);
  t.is(edit.json.error.code, 'campaign_not_editable');
  const log = await app.request('GET', `/api/audit/log?subject=campaign:${created.id}`, { as: admin });
  t.deepEqual(
    log.json.entries.map((e: { action: string }) => e.action),
    ['campaign.created', 'campaign.scheduled', 'campaign.unscheduled', 'campaign.cancelled'],
  );
  t.is(log.json.entries[3].data.reason, 'budget withdrawn');
});

test.serial('a campaign whose window is already over cannot be scheduled', async (t) => {
  const now = app.clock.now();
  const past = (h: number) => new Date(now.getTime() - h * 3600_000).toISOString();
  const body = buildVoucherCampaign(now, {
    opens_at: past(10),
    closes_at: past(5),
    draw_at: past(4),
    claim_opens_at: past(3),
  });
  const created = (await app.request('POST', '/api/admin/campaigns', { as: admin, json: body })).json
    .campaign;
  const res = await app.request('POST', `/api/admin/campaigns/${created.id}/schedule`, {
    as: admin,
    json: {},
  });
  t.is(res.status, 422);
  t.truthy(res.json.error.fields.closes_at);
});

test.serial(
  'a campaign with nothing to give (no budget, no slots) cannot be scheduled; its draft stands',
  async (t) => {
    const now = app.clock.now();
    const draft = async (body: Record<string, unknown>) =>
      (await app.request('POST', '/api/admin/campaigns', { as: admin, json: body })).json.campaign;
    const schedule = (id: string) =>
      app.request('POST', `/api/admin/campaigns/${id}/schedule`, { as: admin, json: {} });
    const empty = await draft(buildVoucherCampaign(now, { total: 0 }));
    const noBudget = await schedule(empty.id);
    t.is(noBudget.status, 422, noBudget.text);
    t.deepEqual(Object.keys(noBudget.json.error.fields), ['total']);
    const noSlots = await draft(buildGoodsCampaign(now, [], { total: 0 }));
    const nothing = await schedule(noSlots.id);
    t.is(nothing.status, 422, nothing.text);
    t.truthy(nothing.json.error.fields.slots);
    for (const c of [empty, noSlots])
      t.is((await app.db('campaigns').where({ id: c.id }).first()).state, 'draft', 'nothing changed');
  },
);

test.serial('the public list shows scheduled campaigns but never drafts', async (t) => {
  const draft = (
    await app.request('POST', '/api/admin/campaigns', {
      as: admin,
      json: buildVoucherCampaign(app.clock.now()),
    })
  ).json.campaign;
  const list = await app.request('GET', '/api/campaigns');
  t.false(list.json.campaigns.some((c: { id: string }) => c.id === draft.id));
  t.is((await app.request('GET', `/api/campaigns/${draft.id}`)).status, 404);
  await app.request('POST', `/api/admin/campaigns/${draft.id}/schedule`, { as: admin, json: {} });
  t.is((await app.request('GET', `/api/campaigns/${draft.id}`)).status, 200);
});
