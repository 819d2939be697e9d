// Each campaign's frozen roster and awards are written into their own partition, indexed as the parent is,
// and attached in the draw's transaction; deleting a campaign still deletes its rows (the trigger that
// stands in for ON DELETE CASCADE, which the partitioned tables do not carry).
import test from 'ava';
import { drawCampaign } from '../../src/commands/drawCampaign.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { addApplications, drawContext, drawReconciler, scheduledLottery } from '../helpers/draw.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

/** The partition of `table` holding the campaign's rows, with how many indexes it has. */
async function partition(table: string, campaignId: string) {
  const { rows } = await app.db.raw(
    `SELECT c.relname AS name, (SELECT count(*)::int FROM pg_index i WHERE i.indrelid = c.oid) AS indexes,
            (SELECT count(*)::int FROM pg_index i WHERE i.indrelid = ?::regclass) AS parent_indexes
       FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
      WHERE h.inhparent = ?::regclass AND pg_get_expr(c.relpartbound, c.oid) LIKE ?`,
    [table, table, `%${campaignId}%`],
  );
  return rows as Array<{ name: string; indexes: number; parent_indexes: number }>;
}

test.serial(
  'roster and awards sit in the campaign’s own indexed partitions; deleting the campaign deletes them',
  async (t) => {
    const s = await scheduledLottery(app.db, app.clock, { sites: 2, capacity: 10 });
    await addApplications(app.db, s, 40);
    const ctx = drawContext(app.db, app.clock);
    const reconciler = drawReconciler(ctx);
    for (const moment of [s.opensAt, s.closesAt]) {
      app.clock.set(moment);
      await reconciler.runOnce(); // the opening commits, the close freezes the roster
    }
    const [roster] = await partition('roster_entries', s.campaignId);
    t.is(roster?.indexes, roster?.parent_indexes, 'the roster partition has every index of the parent');
    t.is(await partition('awards', s.campaignId).then((p) => p.length), 0, 'no awards before the draw');

    await app.db('draws').where({ campaign_id: s.campaignId }).update({ beacon: 'test beacon' });
    app.clock.set(s.drawAt);
    const outcome = await drawCampaign(ctx, s.campaignId);
    t.truthy(outcome);
    const [awards] = await partition('awards', s.campaignId);
    t.truthy(awards);
    t.is(awards?.indexes, awards?.parent_indexes, 'the awards partition has every index of the parent');
    const count = async (table: string) =>
      Number((await app.db(table).where({ campaign_id: s.campaignId }).count('* as n'))[0]!.n);
    t.is(await count('roster_entries'), 40);
    t.is(await count('awards'), 40);

    await app.db('campaigns').where({ id: s.campaignId }).del();
    t.is(await count('roster_entries'), 0);
    t.is(await count('awards'), 0);
  },
);

test.serial(
  'public ids the COPY escapes or that are not ASCII go from the frozen columns to the awards unchanged',
  async (t) => {
    const s = await scheduledLottery(app.db, app.clock, { sites: 2, capacity: 10 });
    const ids = await addApplications(app.db, s, 12);
    // backslash, tab, newline, a quote, non-ASCII (the close stores the NFC form of e + combining acute)
    const odd = ['T\\back', 'T\ttab', 'T\nline', 'T"quote', 'T\u00e9', 'T\uAC00\u{1F600}'];
    for (const [k, id] of odd.entries())
      await app
        .db('applications')
        .where({ campaign_id: s.campaignId, public_id: ids[k] })
        .update({ public_id: k === 4 ? 'Te\u0301' : id });
    const ctx = drawContext(app.db, app.clock);
    const reconciler = drawReconciler(ctx);
    for (const moment of [s.opensAt, s.closesAt]) {
      app.clock.set(moment);
      await reconciler.runOnce();
    }
    await app.db('draws').where({ campaign_id: s.campaignId }).update({ beacon: 'test beacon' });
    app.clock.set(s.drawAt);
    t.truthy(await drawCampaign(ctx, s.campaignId));
    const stored = async (table: string) =>
      (await app.db(table).where({ campaign_id: s.campaignId }).pluck('public_id')).sort();
    const frozen = await stored('roster_entries');
    t.deepEqual(await stored('awards'), frozen);
    for (const id of odd) t.true(frozen.includes(id), JSON.stringify(id));
  },
);
