// The close's roster freeze and the draw run as queue jobs, not inside the reconciler's pass: the pass only
// moves the state and enqueues; each job is one transaction, so a job that dies before committing leaves
// nothing, and its rerun gives the same roster root and the same results. The steps called directly (as the
// benchmarks do) refuse what is not ready and never draw a roster changed after the close; an instant sale
// gets no draw at all.
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { changeCampaignState } from '../../src/commands/changeCampaignState.js';
import { drawCampaign } from '../../src/commands/drawCampaign.js';
import { commitDraw, freezeDrawRoster } from '../../src/commands/drawHooks.js';
import { runRosterFreeze } from '../../src/commands/drawJobs.js';
import { createCampaign } from '../../src/commands/saveCampaign.js';
import { findCampaign, lockCampaign } from '../../src/db/repos/campaigns.js';
import { lockDraw } from '../../src/db/repos/draws.js';
import { parseCampaignBody } from '../../src/http/routes/campaigns/schema.js';
import { drawReconcilerParts } from '../../src/jobs/draw.js';
import { createReconciler } from '../../src/jobs/reconciler.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  addApplications,
  drawContext,
  drawReconciler,
  runDrawJobs,
  scheduledLottery,
} from '../helpers/draw.js';
import { buildVoucherCampaign } from '../helpers/factories.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

const jobsOf = (campaignId: string) =>
  app
    .db('graphile_worker.jobs')
    .whereIn('key', [`draw-freeze:${campaignId}`, `draw-run:${campaignId}`])
    .select('task_identifier', 'key');

test.serial(
  'the reconciler closes and enqueues; the worker freezes, and then draws once enqueued',
  async (t) => {
    const s = await scheduledLottery(app.db, app.clock);
    await addApplications(app.db, s, 40);
    const ctx = drawContext(app.db, app.clock);
    const parts = drawReconcilerParts(ctx);
    const bare = createReconciler(
      { db: app.db, clock: app.clock },
      { logger: createLogger('silent'), ...parts },
    );
    app.clock.set(s.opensAt);
    await bare.runOnce();
    app.clock.set(s.closesAt);
    await bare.runOnce();
    const campaign = await app.db('campaigns').where({ id: s.campaignId }).first();
    t.is(campaign.state, 'closed');
    t.is(
      (await app.db('draws').where({ campaign_id: s.campaignId }).first()).roster_root,
      null,
      'not frozen in the pass',
    );
    t.deepEqual(await jobsOf(s.campaignId), [
      { task_identifier: 'draw_freeze_roster', key: `draw-freeze:${s.campaignId}` },
    ]);

    await runDrawJobs(ctx);
    const frozen = await app.db('draws').where({ campaign_id: s.campaignId }).first();
    t.regex(frozen.roster_root, /^[0-9a-f]{64}$/);
    t.is(frozen.roster_size, 40);
    t.deepEqual(await jobsOf(s.campaignId), []);

    await app.db('draws').where({ campaign_id: s.campaignId }).update({ beacon: 'drand round 7: jobs' });
    app.clock.set(s.drawAt);
    await bare.runOnce();
    await bare.runOnce(); // a second pass while the job is queued adds no second job
    t.is(
      (await app.db('campaigns').where({ id: s.campaignId }).first()).state,
      'closed',
      'not drawn in the pass',
    );
    t.deepEqual(await jobsOf(s.campaignId), [
      { task_identifier: 'draw_run', key: `draw-run:${s.campaignId}` },
    ]);
    await runDrawJobs(ctx);
    t.is((await app.db('campaigns').where({ id: s.campaignId }).first()).state, 'drawn');
  },
);

/** A lottery with n applications, opened and closed by the reconciler's passes: its freeze job is queued. */
async function closedLottery(n: number) {
  const s = await scheduledLottery(app.db, app.clock);
  await addApplications(app.db, s, n);
  const ctx = drawContext(app.db, app.clock);
  const reconciler = createReconciler(
    { db: app.db, clock: app.clock },
    { logger: createLogger('silent'), ...drawReconcilerParts(ctx) },
  );
  app.clock.set(s.opensAt);
  await reconciler.runOnce();
  app.clock.set(s.closesAt);
  await reconciler.runOnce();
  return { s, ctx };
}

test.serial(
  'a freeze job that dies before its commit leaves nothing; the rerun freezes the roster',
  async (t) => {
    const { s, ctx } = await closedLottery(25);
    const killed = async () => {
      throw new Error('killed');
    };
    await t.throwsAsync(runRosterFreeze(ctx, s.campaignId, { beforeCommit: killed }), { message: 'killed' });
    t.is((await app.db('draws').where({ campaign_id: s.campaignId }).first()).roster_root, null);
    t.is((await app.db('roster_entries').where({ campaign_id: s.campaignId }).count('* as n'))[0]!.n, 0);
    const audited = () =>
      app.db('audit_log').where({ subject: `campaign:${s.campaignId}`, action: 'draw.roster_frozen' });
    t.is((await audited()).length, 0);

    t.true(await runRosterFreeze(ctx, s.campaignId));
    const root = (await app.db('draws').where({ campaign_id: s.campaignId }).first()).roster_root;
    t.false(await runRosterFreeze(ctx, s.campaignId), 'a second run finds the work done');
    t.is((await app.db('draws').where({ campaign_id: s.campaignId }).first()).roster_root, root);
    t.is((await audited()).length, 1);
    // the draw recomputes the root from the stored roster and refuses to draw if it differs
    await app.db('draws').where({ campaign_id: s.campaignId }).update({ beacon: 'b' });
    app.clock.set(s.drawAt);
    await drawReconciler(ctx).runOnce();
    t.is((await app.db('campaigns').where({ id: s.campaignId }).first()).state, 'drawn');
  },
);

test.serial(
  'a beacon recorded while the freeze runs waits for it: the campaign lock does not block the freeze writing',
  async (t) => {
    const { s, ctx } = await closedLottery(30);
    // recordBeacon's order: the campaign row, then the draw row. Here its first lock is taken and held...
    const beacon = await app.db.transaction();
    t.truthy(await lockCampaign(beacon, s.campaignId));
    // ...while the freeze holds the draw row and writes rows that reference the campaign.
    let reached!: () => void;
    let release!: () => void;
    const atCommit = new Promise<void>((r) => {
      reached = r;
    });
    const released = new Promise<void>((r) => {
      release = r;
    });
    // A failure below must not leave the freeze waiting on either lock: the teardown lets both go.
    t.teardown(async () => {
      release();
      await beacon.rollback().catch(() => {});
      await freeze.catch(() => {});
    });
    const freeze = runRosterFreeze(ctx, s.campaignId, {
      beforeCommit: () => {
        reached();
        return released;
      },
    });
    const got = await Promise.race([atCommit.then(() => true), sleep(3000).then(() => false)]);
    t.true(got, 'the freeze wrote its roster past the held campaign lock');
    const drawRow = lockDraw(beacon, s.campaignId); // waits for the freeze, as the beacon would
    await sleep(200);
    release();
    t.true(await freeze);
    t.truthy((await drawRow)?.roster_root, 'the beacon then sees the frozen roster');
    await beacon.commit();
    // Drawn, so that the serial tests after this one meet no campaign due without its beacon.
    await app.db('draws').where({ campaign_id: s.campaignId }).update({ beacon: 'b' });
    app.clock.set(s.drawAt);
    await drawReconciler(ctx).runOnce();
    t.is((await findCampaign(app.db, s.campaignId))?.state, 'drawn');
  },
);

test.serial(
  'a lottery opened by a service without the draw wired in is committed at its close, then frozen, with a warning',
  async (t) => {
    const s = await scheduledLottery(app.db, app.clock);
    await addApplications(app.db, s, 12);
    const warnings: string[] = [];
    const logger = createLogger('silent');
    const ctx = drawContext(app.db, app.clock, {
      logger: Object.assign(Object.create(logger), {
        warn: (_o: unknown, msg: string) => warnings.push(msg),
      }),
    });
    // The opening passes through a reconciler with no draw hooks: no commitment is made then.
    const plain = createReconciler({ db: app.db, clock: app.clock }, { logger });
    app.clock.set(s.opensAt);
    await plain.runOnce();
    t.is((await app.db('campaigns').where({ id: s.campaignId }).first()).state, 'open');
    t.is(await app.db('draws').where({ campaign_id: s.campaignId }).first(), undefined);
    const withDraw = createReconciler(
      { db: app.db, clock: app.clock },
      { logger, ...drawReconcilerParts(ctx) },
    );
    app.clock.set(s.closesAt);
    await withDraw.runOnce();
    await runDrawJobs(ctx);
    const d = await app.db('draws').where({ campaign_id: s.campaignId }).first();
    t.regex(d.seed_commitment, /^[0-9a-f]{64}$/);
    t.is(d.committed_at.getTime(), s.closesAt.getTime(), 'committed at the close');
    t.regex(d.roster_root, /^[0-9a-f]{64}$/);
    t.is(d.roster_size, 12);
    t.deepEqual(warnings, ['no draw commitment from the opening; committing at the close']);
    const trail = await app
      .db('audit_log')
      .where({ subject: `campaign:${s.campaignId}` })
      .whereIn('action', ['draw.committed', 'draw.roster_frozen'])
      .orderBy('seq')
      .pluck('action');
    t.deepEqual(trail, ['draw.committed', 'draw.roster_frozen']);
  },
);

test.serial(
  'the draw steps called directly: nothing before the close or the freeze, a second commitment or freeze changes nothing, a roster changed after the close is never drawn, and the phases are reported',
  async (t) => {
    const s = await scheduledLottery(app.db, app.clock, { kind: 'voucher' });
    await addApplications(app.db, s, 12, { voucher: true });
    const ctx = drawContext(app.db, app.clock);
    const campaign = async () => (await findCampaign(app.db, s.campaignId))!;
    const drawRow = () => app.db('draws').where({ campaign_id: s.campaignId }).first();
    t.is(await drawCampaign(ctx, s.campaignId), undefined, 'scheduled: nothing to draw');

    // A random source that gives fewer than 32 bytes: no commitment is made from it.
    const short = drawContext(app.db, app.clock, { random: { bytes: (n) => Buffer.alloc(n - 1, 7) } });
    await t.throwsAsync(
      app.db.transaction(async (trx) => commitDraw(short, trx, await campaign(), s.opensAt)),
      { message: /fewer than 32 bytes/ },
    );
    t.is(await drawRow(), undefined);

    app.clock.set(s.opensAt);
    await drawReconciler(ctx).runOnce();
    const committed = await drawRow();
    t.regex(committed.seed_commitment, /^[0-9a-f]{64}$/);
    await app.db.transaction(async (trx) => commitDraw(ctx, trx, await campaign(), s.closesAt));
    t.deepEqual(await drawRow(), committed, 'the commitment made at the opening stands');

    // Closed by a pass with no freeze job: not drawable until frozen and given its beacon.
    app.clock.set(s.closesAt);
    await createReconciler({ db: app.db, clock: app.clock }, { logger: createLogger('silent') }).runOnce();
    t.is((await campaign()).state, 'closed');
    t.is(await drawCampaign(ctx, s.campaignId), undefined, 'not frozen, no beacon');

    const phases: string[] = [];
    const freeze = async () =>
      app.db.transaction(async (trx) =>
        freezeDrawRoster(ctx, trx, await campaign(), app.clock.now(), (p) => phases.push(p)),
      );
    await freeze();
    t.deepEqual(phases, [
      'snapshot (COPY out, COPY in while read and checked, indexes, ANALYZE)',
      'leaf hashes, tree',
      'store tree levels',
    ]);
    const frozen = await drawRow();
    t.regex(frozen.roster_root, /^[0-9a-f]{64}$/);
    t.is(frozen.roster_size, 12);
    app.clock.set(s.drawAt);
    await freeze();
    t.is(phases.length, 3, 'a second freeze does nothing');
    t.deepEqual(await drawRow(), frozen);
    const audited = (action: string) =>
      app.db('audit_log').where({ subject: `campaign:${s.campaignId}`, action });
    t.is((await audited('draw.roster_frozen')).length, 1);

    // One entry changed after the close: the recomputed root differs and nothing is drawn.
    await app.db('draws').where({ campaign_id: s.campaignId }).update({ beacon: 'drand round 9: direct' });
    const entry = () => app.db('roster_entries').where({ campaign_id: s.campaignId, idx: 0 });
    await entry().update({ request: app.db.raw('request + 10000') });
    await t.throwsAsync(drawCampaign(ctx, s.campaignId), {
      message: /the roster root changed since the close/,
    });
    t.is((await campaign()).state, 'closed');
    t.is((await drawRow()).drawn_at, null);
    t.is((await app.db('awards').where({ campaign_id: s.campaignId })).length, 0);
    t.is((await audited('draw.executed')).length, 0);

    // Put back, it draws, reporting its phases.
    await entry().update({ request: app.db.raw('request - 10000') });
    const drawPhases: string[] = [];
    const outcome = await drawCampaign(ctx, s.campaignId, { mark: (p) => drawPhases.push(p) });
    t.is(outcome?.won, (await app.db('awards').where({ campaign_id: s.campaignId, outcome: 'won' })).length);
    t.deepEqual(drawPhases, [
      'load roster',
      'runDraw',
      'insert awards (COPY, indexes, ANALYZE, attach)',
      'outcome, audit, job',
    ]);
    t.is((await campaign()).state, 'drawn');
  },
);

test.serial(
  'an instant sale opens through the same hooks with no draw commitment: it has no draw',
  async (t) => {
    const system = { kind: 'system', name: 'test' } as const;
    const input = parseCampaignBody(buildVoucherCampaign(app.clock.now(), { mode: 'instant' }));
    const sale = await createCampaign({ db: app.db, clock: app.clock }, system, input);
    await changeCampaignState({ db: app.db, clock: app.clock }, system, sale.id, 'schedule');
    app.clock.set(input.opens_at);
    await drawReconciler(drawContext(app.db, app.clock)).runOnce();
    t.is((await app.db('campaigns').where({ id: sale.id }).first()).state, 'open');
    t.is(await app.db('draws').where({ campaign_id: sale.id }).first(), undefined);
    t.deepEqual(
      await app
        .db('audit_log')
        .where({ subject: `campaign:${sale.id}` })
        .whereLike('action', 'draw.%'),
      [],
    );
  },
);
