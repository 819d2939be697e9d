// A crowd's result reads after a draw go to the database together (batchedApplications, batchedCounterAwards):
// each reader must get exactly the row it would have read alone, whatever else is in its batch: its own
// application (through a merged identity too), its own award with the slot it holds, and nothing where it has none.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { batchedApplications, findApplication, findApplications } from '../../src/db/repos/applications.js';
import {
  batchedCounterAwards,
  findCounterAward,
  findCounterAwards,
} from '../../src/db/repos/counterAwards.js';
import { drawnLottery } from '../draw/_scenario.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

test('batched reads answer each key with what it reads alone, in order, and nothing for a key without a row', async (t) => {
  const { s } = await drawnLottery(app, { applicants: 30 });
  const applied: Array<{ identity_id: string; public_id: string }> = await app
    .db('applications')
    .where({ campaign_id: s.campaignId })
    .select('identity_id', 'public_id');
  // Someone who came back under a new identity later merged into the one that applied reads the same application.
  const [newcomer] = await app
    .db('identities')
    .insert({ identity_key: `merged-${randomUUID()}`, method: 'sms', merged_into: applied[0]!.identity_id })
    .returning('id');
  const appKeys = [
    ...applied.map((a) => ({ campaign_id: s.campaignId, identity_id: a.identity_id })),
    { campaign_id: s.campaignId, identity_id: newcomer.id },
    { campaign_id: s.campaignId, identity_id: randomUUID() },
    { campaign_id: randomUUID(), identity_id: applied[1]!.identity_id },
  ].reverse();
  const alone = await Promise.all(appKeys.map((k) => findApplication(app.db, k.campaign_id, k.identity_id)));
  t.is(alone.filter(Boolean).length, applied.length + 1);
  t.deepEqual(await findApplications(app.db, appKeys), alone);
  const apps = batchedApplications(app.db, 2);
  t.deepEqual(await Promise.all(appKeys.map((k) => apps(k))), alone);

  const awardKeys = [
    ...applied.map((a) => ({ campaign_id: s.campaignId, public_id: a.public_id })),
    { campaign_id: s.campaignId, public_id: 'NOT-A-PUBLIC-ID' },
    { campaign_id: randomUUID(), public_id: applied[2]!.public_id },
  ];
  const awards = await Promise.all(
    awardKeys.map((k) => findCounterAward(app.db, k.campaign_id, k.public_id)),
  );
  t.is(
    awards.filter(Boolean).length,
    applied.length,
    'every applicant has an award row (won, waitlisted or lost)',
  );
  t.true(
    awards.some((a) => a?.held_slot_starts_at),
    'some award holds a slot, read with its times',
  );
  t.deepEqual(await findCounterAwards(app.db, awardKeys), awards);
  const counter = batchedCounterAwards(app.db, 2);
  t.deepEqual(await Promise.all(awardKeys.map((k) => counter(k))), awards);
});
