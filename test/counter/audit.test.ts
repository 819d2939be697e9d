// Every collection is in the audit log exactly once, with its staff account and site: recorded in the
// collection's transaction (counter_collections) and appended by the reconciler's pass in batches, so a press
// never waits on the chain's lock. Two passes at once append each record once; a dropped or repeated entry
// fails here.
import test from 'ava';
import { checkChain } from '../../src/audit/chain.js';
import { auditCollections } from '../../src/commands/auditCollections.js';
import { listAuditRows } from '../../src/db/repos/audit.js';
import { at } from '../draw/_scenario.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { counterScenario } from './_setup.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

test.serial('every collection is audited once, with the staff account and the site', async (t) => {
  const sc = await counterScenario(app, { applicants: 60 });
  const [site0, site1] = sc.s.siteIds as [string, string];
  app.clock.set(at(63)); // both slots of each site have started (+60 h, +62 h)
  const [staff0, staff1] = await sc.signIn();
  const admin = await app.staff('admin');
  const collect = async (site: string, as: typeof staff0, code: string) =>
    (await app.request('POST', `/api/sites/${site}/collections`, { as, json: { code } })).status;
  const at0 = sc.winnersAt(site0);
  const at1 = sc.winnersAt(site1);
  t.true(at0.length >= 4 && at1.length >= 4);
  // Both sites at once, typed codes and scanned tokens, each code pressed twice; one offline record synced;
  // one admin correction by public id.
  const presses = await Promise.all([
    ...at0
      .slice(0, 3)
      .flatMap((w) => [
        sc.codeOf(w.public_id).then((c) => collect(site0, staff0, c)),
        sc.tokenOf(w.public_id).then((c) => collect(site0, staff0, c)),
      ]),
    ...at1
      .slice(0, 3)
      .flatMap((w) => [
        sc.codeOf(w.public_id).then((c) => collect(site1, staff1, c)),
        sc.codeOf(w.public_id).then((c) => collect(site1, staff1, c)),
      ]),
  ]);
  t.is(presses.filter((s) => s === 201).length, 6, 'each award collected once');
  const token = await sc.tokenOf(at0[3]!.public_id);
  const sync = await app.request('POST', `/api/sites/${site0}/collections`, {
    as: staff0,
    json: { code: token, offline_ref: 'audit-rec-1', handed_over_at: at(62.9).toISOString() },
  });
  t.is(sync.status, 201, sync.text);
  const fix = await app.request(
    'POST',
    `/api/admin/campaigns/${sc.s.campaignId}/awards/${at1[3]!.public_id}/collect`,
    { as: admin, json: {} },
  );
  t.is(fix.status, 200, fix.text);

  const collectedEntries = () =>
    app.db('audit_log').where({ action: 'award.collected', subject: `campaign:${sc.s.campaignId}` });
  t.is((await collectedEntries()).length, 0, 'not in the press: the pass appends them');
  const ctx = { db: app.db, clock: app.clock };
  const [a, b] = await Promise.all([auditCollections(ctx), auditCollections(ctx)]);
  t.is(a + b, 8, 'two passes at once share the records');
  t.is(await auditCollections(ctx), 0, 'a later pass finds nothing new');

  const collected = await app.db('awards').where({ campaign_id: sc.s.campaignId, status: 'collected' });
  t.is(collected.length, 8);
  const entries = await collectedEntries();
  t.is(entries.length, collected.length, 'one entry per collection');
  for (const award of collected) {
    const mine = entries.filter((e) => e.data.public_id === award.public_id);
    t.is(mine.length, 1, `${award.public_id} exactly once`);
    t.is(mine[0].actor, award.collected_by);
    t.is(mine[0].data.site, award.collected_site);
    t.is(mine[0].data.via, award.collected_via);
    t.is(mine[0].data.rank, award.rank);
  }
  const offline = entries.find((e) => e.data.public_id === at0[3]!.public_id)!;
  t.is(offline.data.offline_ref, 'audit-rec-1');
  t.is(offline.data.handed_over_at, at(62.9).toISOString());
  t.is(offline.actor, `staff:${staff0!.id}`);
  t.is(entries.find((e) => e.data.public_id === at1[3]!.public_id)!.actor, `staff:${admin.id}`);
  t.true(checkChain(await listAuditRows(app.db)).ok);
});
