// Two rare moments of applying, made to happen: the rules an instance had cached changed under the request (an
// admin edited the campaign before it opened), and a freshly drawn public id that another application holds.
import test from 'ava';
import { cryptoRandom, type RandomSource } from '../../src/identity/random.js';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { buildVoucherCampaign } from '../helpers/factories.js';
import { openWindow, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';

/** The system's randomness, except that a six-byte draw (an application's public id) can be fixed in advance. */
const publicIdDraws: Buffer[] = [];
const random: RandomSource = {
  bytes: (n) => (n === 6 && publicIdDraws.length > 0 ? publicIdDraws.shift()! : cryptoRandom.bytes(n)),
};

let app: TestApp;
let admin: StaffAuth;
test.before(async () => {
  // rules cached for a minute, so the edit below lands while this instance still holds the old ones
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS, random, rulesTtlMs: 60_000 } });
  admin = await app.staff('admin');
});
test.after.always(async () => {
  await app?.close();
});

const apply = (id: string, headers: Record<string, string>, amount = 100_000) =>
  app.request('POST', `/api/campaigns/${id}/application`, { headers, json: { amount } });

test.serial(
  'rules edited after this instance cached them: the request is judged by the new rules, nothing written when they refuse',
  async (t) => {
    const body = buildVoucherCampaign(app.clock.now());
    const created = (await app.request('POST', '/api/admin/campaigns', { as: admin, json: body })).json
      .campaign;
    const scheduled = await app.request('POST', `/api/admin/campaigns/${created.id}/schedule`, {
      as: admin,
      json: {},
    });
    t.is(scheduled.json.campaign?.state, 'scheduled', scheduled.text);
    const r = await verifyResident(app);
    // Refused by the window (the database clock), having loaded and cached version 1 of the rules.
    const early = await apply(created.id, r.headers);
    t.regex(early.json.error.code, /^campaign_(not_open|closed)$/, early.text);
    const edited = await app.request('PUT', `/api/admin/campaigns/${created.id}`, {
      as: admin,
      json: { ...body, per_person_max: 50_000, version: scheduled.json.campaign.version },
    });
    t.is(edited.status, 200, edited.text);
    await openWindow(app, created.id);
    // Version 1 allowed 100,000; the campaign now says 50,000. The insert sees the version, the stale rules are
    // forgotten and the same request is judged again by the edited ones: over the limit, nothing written.
    const stale = await apply(created.id, r.headers);
    t.is(stale.status, 422, stale.text);
    t.truthy(stale.json.error.fields.amount);
    t.is((await app.db('applications').where({ campaign_id: created.id })).length, 0);
    const ok = await apply(created.id, r.headers, 50_000);
    t.is(ok.status, 201, ok.text);
  },
);

test.serial(
  'pressing apply just before and just after the opening: the second press is accepted',
  async (t) => {
    const body = buildVoucherCampaign(app.clock.now());
    const created = (await app.request('POST', '/api/admin/campaigns', { as: admin, json: body })).json
      .campaign;
    await app.request('POST', `/api/admin/campaigns/${created.id}/schedule`, { as: admin, json: {} });
    const r = await verifyResident(app);
    const early = await apply(created.id, r.headers); // caches the scheduled campaign's rules
    t.regex(early.json.error.code, /^campaign_(not_open|closed)$/, early.text);
    // The opening as the reconciler makes it: the state change is a new version of the campaign.
    await app.db('campaigns').where({ id: created.id }).increment('version', 1);
    await openWindow(app, created.id);
    const pressed = await apply(created.id, r.headers);
    t.is(pressed.status, 201, pressed.text);
  },
);

test.serial(
  'a public id drawn twice: the second application draws again and both keep their own',
  async (t) => {
    const body = buildVoucherCampaign(app.clock.now());
    const c = (await app.request('POST', '/api/admin/campaigns', { as: admin, json: body })).json.campaign;
    await openWindow(app, c.id);
    const [a, b] = [await verifyResident(app), await verifyResident(app)];
    const same = Buffer.from('0123456789ab', 'hex');
    publicIdDraws.push(same);
    const first = await apply(c.id, a.headers);
    t.is(first.status, 201, first.text);
    publicIdDraws.push(Buffer.from(same)); // the second application's first draw is the same id
    const second = await apply(c.id, b.headers);
    t.is(second.status, 201, second.text);
    t.is(publicIdDraws.length, 0);
    t.not(second.json.receipt.public_id, first.json.receipt.public_id);
    const rows = await app.db('applications').where({ campaign_id: c.id }).select('public_id');
    t.is(rows.length, 2);
  },
);
