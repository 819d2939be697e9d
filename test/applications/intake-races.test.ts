// Rare moments of applying, made to happen: the rules an instance had cached changed under the request (an admin
// edited the campaign), the campaign opened between caching and applying, and a freshly drawn public id that
// another application holds.
import test from 'ava';
import { cryptoRandom, type RandomSource } from '../../src/crypto/random.js';
import { transitionCampaign } from '../../src/db/repos/campaigns.js';
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

/** The window open by the database clock while the campaign is still scheduled: the reconciler not yet by. */
async function openedByTheClock(id: string) {
  await app.db.raw(
    `UPDATE campaigns SET opens_at = now() - interval '1 second', closes_at = now() + interval '1 day',
       draw_at = now() + interval '2 days', claim_opens_at = now() + interval '3 days',
       claim_closes_at = now() + interval '30 days' WHERE id = ?`,
    [id],
  );
  const row = await app.db('campaigns').where({ id }).first();
  const at = (k: string) => (row[k] as Date).toISOString();
  return {
    opens_at: at('opens_at'),
    closes_at: at('closes_at'),
    draw_at: at('draw_at'),
    claim_opens_at: at('claim_opens_at'),
    claim_closes_at: at('claim_closes_at'),
  };
}

test.serial(
  'rules edited during intake after this instance cached them: refused as rules_changed, nothing written; submitted again, judged by the new rules',
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
    // Refused by the window (the database clock), having loaded and cached the rules as scheduled.
    const early = await apply(created.id, r.headers);
    t.regex(early.json.error.code, /^campaign_(not_open|closed)$/, early.text);
    // The window opens while the campaign is still scheduled, and an admin edits it meanwhile: a real change of
    // the rules applicants are judged by.
    const times = await openedByTheClock(created.id);
    const edited = await app.request('PUT', `/api/admin/campaigns/${created.id}`, {
      as: admin,
      json: {
        ...body,
        ...times,
        per_person_max: 50_000,
        version: scheduled.json.campaign.version,
      },
    });
    t.is(edited.status, 200, edited.text);
    // The cached rules allowed 100,000; the campaign now says 50,000. The insert sees the rules' version and
    // refuses: nothing written, and the person is asked to submit again.
    const stale = await apply(created.id, r.headers);
    t.is(stale.status, 409, stale.text);
    t.is(stale.json.error.code, 'conflict');
    t.is(stale.json.error.details.reason, 'rules_changed');
    t.is((await app.db('applications').where({ campaign_id: created.id })).length, 0);
    // Submitted again, by the edited rules (the stale ones were forgotten): over the limit, then within it.
    const again = await apply(created.id, r.headers);
    t.is(again.status, 422, again.text);
    t.truthy(again.json.error.fields.amount);
    const ok = await apply(created.id, r.headers, 50_000);
    t.is(ok.status, 201, ok.text);
  },
);

test.serial(
  'pressing apply just before and just after the opening: the second press is accepted, with no conflict to retry',
  async (t) => {
    const body = buildVoucherCampaign(app.clock.now());
    const created = (await app.request('POST', '/api/admin/campaigns', { as: admin, json: body })).json
      .campaign;
    await app.request('POST', `/api/admin/campaigns/${created.id}/schedule`, { as: admin, json: {} });
    const r = await verifyResident(app);
    const early = await apply(created.id, r.headers); // caches the scheduled campaign's rules
    t.regex(early.json.error.code, /^campaign_(not_open|closed)$/, early.text);
    // The opening as the reconciler makes it (its own conditional update), once the database clock has passed it.
    await openedByTheClock(created.id);
    const before = await app.db('campaigns').where({ id: created.id }).first();
    const opened = await app.db.transaction((trx) =>
      transitionCampaign(trx, created.id, ['scheduled'], 'open', app.clock.now()),
    );
    t.is(opened?.state, 'open');
    t.is(opened!.version, before.version + 1, 'the state change is still a new version of the campaign');
    t.true(Number.isInteger(before.rules_version));
    t.is(opened!.rules_version, before.rules_version, 'but not of its rules');
    // The insert is checked against the rules' version only: the first attempt is accepted as it stands.
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
