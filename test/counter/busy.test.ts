// A collection is one statement without BEGIN or SET LOCAL, yet it still waits a bounded time for a row held
// elsewhere (a stuck session, a long transaction): it answers busy after the lock timeout, changes nothing,
// and goes through once the row is free.
import test from 'ava';
import pg from 'pg';
import { LOCK_TIMEOUT_MS } from '../../src/db/transaction.js';
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

/** Generous for a loaded machine; without a bound the press would wait for the holder (HOLD_MS). */
const WITHIN_MS = LOCK_TIMEOUT_MS + 4000;
const HOLD_MS = WITHIN_MS + 4000;

for (const [what, sql] of [
  ['the award', 'SELECT 1 FROM awards WHERE campaign_id = $1 AND public_id = $2 FOR UPDATE'],
  [
    'its stock row',
    `SELECT 1 FROM stock_counts k JOIN awards a ON a.campaign_id = k.campaign_id AND a.site = k.site_id
        AND a.slot = k.slot_id WHERE a.campaign_id = $1 AND a.public_id = $2 FOR UPDATE OF k`,
  ],
] as const) {
  test.serial(`${what} locked elsewhere: the press answers busy within the lock timeout`, async (t) => {
    const sc = await counterScenario(app);
    const site0 = sc.s.siteIds[0]!;
    app.clock.set(at(61));
    const [staff0] = await sc.signIn();
    const w = sc.winnersAt(site0).find((a) => a.slot.endsWith('-S1'))!;
    const code = await sc.codeOf(w.public_id);
    const holder = new pg.Client({ connectionString: app.database.url });
    await holder.connect();
    await holder.query('BEGIN');
    t.is((await holder.query(sql, [sc.s.campaignId, w.public_id])).rowCount, 1);
    const release = setTimeout(() => void holder.query('ROLLBACK'), HOLD_MS);
    const started = performance.now();
    const busy = await app.request('POST', `/api/sites/${site0}/collections`, { as: staff0, json: { code } });
    const ms = performance.now() - started;
    clearTimeout(release);
    await holder.query('ROLLBACK');
    await holder.end();
    t.is(busy.status, 503, busy.text);
    t.is(busy.json.error.code, 'busy');
    t.true(ms >= LOCK_TIMEOUT_MS * 0.9, `answered after ${ms} ms: it waited for the lock first`);
    t.true(ms < WITHIN_MS, `answered after ${ms} ms`);
    const award = await app
      .db('awards')
      .where({ campaign_id: sc.s.campaignId, public_id: w.public_id })
      .first();
    t.is(award.status, 'won', 'nothing changed');
    t.is((await app.db('counter_collections').where({ campaign_id: sc.s.campaignId })).length, 0);
    const ok = await app.request('POST', `/api/sites/${site0}/collections`, { as: staff0, json: { code } });
    t.is(ok.status, 201, ok.text);
  });
}
