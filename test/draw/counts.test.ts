// The audit page's counts are stored by the draw job (or the fan-out, should the job stop first) and moved with
// each collection, expiry and promotion: after all of them, the API and the page show exactly what a direct
// count of the awards gives. A page request never stores them.
import test from 'ava';
import { collectAward } from '../../src/commands/collectAtCounter.js';
import { fanOutResults } from '../../src/commands/resultFanout.js';
import { storeDrawCounts } from '../../src/commands/storeDrawCounts.js';
import { countByOutcomeAndGroup, countByStatus } from '../../src/db/repos/awards.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { at, awardsOf, drawnLottery } from './_scenario.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

const system = { id: '00000000-0000-4000-8000-000000000001', role: 'admin', site_id: null } as const;

async function direct(campaignId: string) {
  return {
    by_outcome_and_group: (await countByOutcomeAndGroup(app.db, campaignId)).map((r) => ({
      ...r,
      amount: Number(r.amount),
    })),
    by_status: (await countByStatus(app.db, campaignId)).map((r) => ({
      status: r.status,
      count: Number(r.count),
    })),
  };
}

/** As if the draw job had stopped between the draw's commit and storing the counts. */
async function forgetCounts(campaignId: string) {
  for (const table of ['draw_counts', 'stock_counts', 'draw_counts_ready'])
    await app.db(table).where({ campaign_id: campaignId }).delete();
}

/** The numbers in the page's two count tables, row by row. */
function pageCounts(html: string) {
  const num = (s: string) => Number(s.replace(/,/g, ''));
  const outcome = [
    ...html.matchAll(
      /<tr data-outcome="([^"]*)" data-group="([^"]*)">(?:<td>[^<]*<\/td>){2}<td>([\d,]+)<\/td><td>([\d,]+)<\/td>/g,
    ),
  ].map((m) => ({ outcome: m[1], group: m[2], count: num(m[3]!), amount: num(m[4]!) }));
  const status = [...html.matchAll(/<tr data-status="([^"]*)"><td>[^<]*<\/td><td>([\d,]+)<\/td>/g)].map(
    (m) => ({
      status: m[1],
      count: num(m[2]!),
    }),
  );
  return { by_outcome_and_group: outcome, by_status: status };
}

for (const when of ['by the draw job', 'by the fan-out']) {
  test.serial(
    `counts computed ${when} stay equal to a direct count through collections, expiries and promotions`,
    async (t) => {
      const { s, env, reconciler } = await drawnLottery(app, { claimPeriodHours: 1, applicants: 60 });
      if (when === 'by the fan-out') {
        await forgetCounts(s.campaignId);
        await fanOutResults(env, s.campaignId);
      }
      const api = async () => (await app.request('GET', `/api/campaigns/${s.campaignId}/audit`)).json.counts;
      t.deepEqual(await api(), await direct(s.campaignId), 'right after the draw');

      const winners = (await awardsOf(app.db, s.campaignId)).filter((a) => a.outcome === 'won');
      await collectAward(env, system, s.campaignId, winners[0]!.public_id);
      await collectAward(env, system, s.campaignId, winners[1]!.public_id);
      // The rest expire once their slots have ended (+64 h) and pass down; then the promoted (1 hour to
      // collect) expire and pass down again.
      app.clock.set(at(65));
      await reconciler.runOnce();
      const promoted = (await awardsOf(app.db, s.campaignId)).filter((a) => a.status === 'promoted');
      t.true(promoted.length > 0);
      await collectAward(env, system, s.campaignId, promoted[0]!.public_id);
      app.clock.set(at(70));
      await reconciler.runOnce();
      app.clock.set(at(200));
      await reconciler.runOnce();

      const expected = await direct(s.campaignId);
      const statuses = expected.by_status.map((r) => r.status).sort();
      t.deepEqual(
        statuses,
        ['collected', 'expired', 'promoted', 'waitlisted'].filter((x) => statuses.includes(x)),
      );
      t.true(statuses.includes('expired') && statuses.includes('collected'));
      t.deepEqual(await api(), expected);
      const page = await app.request('GET', `/campaigns/${s.campaignId}/audit`, {
        headers: { accept: 'text/html' },
      });
      t.is(page.status, 200);
      t.deepEqual(pageCounts(page.text), expected);
    },
  );
}

test.serial('the audit request reads the stored counts, not the awards', async (t) => {
  const { s, env } = await drawnLottery(app);
  await fanOutResults(env, s.campaignId);
  // If the page aggregated the awards on each request, this change would show; the stored counts do not move.
  await app
    .db('awards')
    .where({ campaign_id: s.campaignId, outcome: 'waitlisted' })
    .update({ status: 'expired' });
  const counts = (await app.request('GET', `/api/campaigns/${s.campaignId}/audit`)).json.counts;
  t.false(counts.by_status.some((r: { status: string }) => r.status === 'expired'));
});

test.serial('collections racing the first computation are counted exactly once', async (t) => {
  const { s, env } = await drawnLottery(app, { applicants: 60 });
  await forgetCounts(s.campaignId);
  const winners = (await awardsOf(app.db, s.campaignId)).filter((a) => a.outcome === 'won');
  t.true(winners.length >= 6);
  await Promise.all([
    ...winners.slice(0, 6).map((w) => collectAward(env, system, s.campaignId, w.public_id)),
    storeDrawCounts(env, s.campaignId),
    fanOutResults(env, s.campaignId),
  ]);
  const api = (await app.request('GET', `/api/campaigns/${s.campaignId}/audit`)).json.counts;
  t.deepEqual(api, await direct(s.campaignId));
  t.is(api.by_status.find((r: { status: string }) => r.status === 'collected').count, 6);
});

test.serial('a page request never stores the counts: until they are stored, none are shown', async (t) => {
  const { s, env } = await drawnLottery(app);
  await forgetCounts(s.campaignId);
  const audit = (await app.request('GET', `/api/campaigns/${s.campaignId}/audit`)).json;
  t.truthy(audit.draw.results_hash);
  t.is(audit.counts, null);
  const stock = (await app.request('GET', `/api/campaigns/${s.campaignId}/stock`)).json;
  t.false(stock.drawn, 'the stock shows its capacity alone until the counts are stored');
  t.is(await app.db('draw_counts_ready').where({ campaign_id: s.campaignId }).first(), undefined);
  t.is((await app.db('draw_counts').where({ campaign_id: s.campaignId })).length, 0);
  t.true(await storeDrawCounts(env, s.campaignId));
  t.false(await storeDrawCounts(env, s.campaignId), 'stored once');
  t.deepEqual(
    (await app.request('GET', `/api/campaigns/${s.campaignId}/audit`)).json.counts,
    await direct(s.campaignId),
  );
});
