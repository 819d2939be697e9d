// The draw's wiring for the reconciler and the job queue: the transition hooks (commit at the opening,
// enqueue the roster freeze at the close), the per-pass steps (enqueue the draws that are due, audit the
// recorded collections, expire unclaimed awards, send due pickup reminders) and the draw worker: the
// graphile-worker tasks that freeze rosters, run draws and send the results. The BEACON_URL fetcher is beacon.ts.
import { EventEmitter } from 'node:events';
import os from 'node:os';
import { type Runner, run, type TaskList, type WorkerEvents } from 'graphile-worker';
import type { TransitionHook } from '../commands/advanceCampaigns.js';
import { auditCollections } from '../commands/auditCollections.js';
import type { NoticeEnv } from '../commands/awardNotices.js';
import { expireUnclaimedAwards } from '../commands/awards.js';
import type { DrawContext } from '../commands/drawContext.js';
import { drawDueCampaigns, newBeaconWatch } from '../commands/drawDueCampaigns.js';
import { drawHooks } from '../commands/drawHooks.js';
import { runDrawJob, runRosterFreeze } from '../commands/drawJobs.js';
import { sendDueReminders } from '../commands/reminders.js';
import { fanOutResults } from '../commands/resultFanout.js';
import { tellOfCancel } from '../commands/tellOfCancel.js';
import { CANCEL_NOTICES_TASK } from '../db/repos/cancelJobs.js';
import { DRAW_TASK, FANOUT_TASK, FREEZE_TASK } from '../db/repos/drawJobs.js';
import { beatHeart, forgetWorker, unlockJobsOfDeadWorkers } from '../db/repos/notifyWorkers.js';
import type { Logger } from '../logger.js';
import { jobQueuePool } from './jobQueuePool.js';
import type { ReconcilerStep } from './reconciler.js';
import { warningsAndErrorsTo } from './workerLogger.js';

export function drawReconcilerParts(ctx: DrawContext & NoticeEnv): {
  hooks: TransitionHook[];
  steps: ReconcilerStep[];
} {
  const watch = newBeaconWatch(); // this reconciler's memory of beacon fetches and warnings
  return {
    hooks: drawHooks(ctx),
    steps: [
      // one lane, one connection at a time: none of them has a second to keep
      { name: 'draw', lane: 'campaigns', run: () => drawDueCampaigns(ctx, watch) },
      { name: 'audit-collections', lane: 'campaigns', run: () => auditCollections(ctx) },
      { name: 'expire-awards', lane: 'campaigns', run: () => expireUnclaimedAwards(ctx) },
      { name: 'pickup-reminders', lane: 'campaigns', run: () => sendDueReminders(ctx) },
    ],
  };
}

/** The draw worker's tasks: freeze a closed campaign's roster, run a due draw, send its results; tell a cancel. */
export function drawTaskList(ctx: DrawContext, logger: Logger): TaskList {
  const campaignOf = (payload: unknown) => (payload as { campaign_id: string }).campaign_id;
  return {
    [FREEZE_TASK]: async (payload) => {
      if (await runRosterFreeze(ctx, campaignOf(payload))) {
        logger.info({ campaign: campaignOf(payload) }, 'draw.roster_frozen');
      }
    },
    [DRAW_TASK]: async (payload) => {
      await runDrawJob(ctx, campaignOf(payload));
    },
    [FANOUT_TASK]: async (payload, helpers) => {
      const r = await fanOutResults(ctx, campaignOf(payload), { signal: helpers.abortSignal });
      logger.info({ campaign: campaignOf(payload), ...r }, 'draw results fan-out done');
    },
    [CANCEL_NOTICES_TASK]: async (payload, helpers) => {
      const r = await tellOfCancel(ctx, campaignOf(payload), { signal: helpers.abortSignal });
      logger.info(
        { campaign: campaignOf(payload), ...r },
        'cancelled campaign: those it would have served told',
      );
    },
  };
}

/**
 * The draw worker: a graphile-worker runner for the draw's tasks, one job at a time (a million-entry draw
 * takes a core and about a gigabyte). It is separate from the notification worker so that neither has to
 * know the other's task list; both read the same queue. It beats a heartbeat, so that a job held by a draw
 * worker that was killed goes back to the queue after deadAfterMs and reruns (each task is idempotent).
 */
export async function startDrawWorker(
  connectionString: string,
  ctx: DrawContext,
  logger: Logger,
  liveness: { heartbeatMs: number; deadAfterMs: number } = { heartbeatMs: 5000, deadAfterMs: 30_000 },
): Promise<{ stop(): Promise<void> }> {
  const taskList = drawTaskList(ctx, logger);
  const events: WorkerEvents = new EventEmitter();
  let poolId = '';
  events.on('pool:create', ({ workerPool }) => {
    poolId = workerPool.id;
  });
  const pgPool = jobQueuePool(connectionString, 2, logger);
  const runner: Runner = await run({
    pgPool,
    concurrency: 1,
    noHandleSignals: true,
    pollInterval: 2000,
    events,
    logger: warningsAndErrorsTo(logger),
    taskList,
  });
  const tasks = Object.keys(taskList);
  const host = os.hostname();
  const beat = () =>
    beatHeart(ctx.db, poolId, host, process.pid).catch((err) =>
      logger.warn({ err }, 'draw worker heartbeat failed'),
    );
  const sweep = () =>
    unlockJobsOfDeadWorkers(ctx.db, liveness.deadAfterMs, tasks)
      .then((ids) => ids.length && logger.warn({ workers: ids }, 'handed back draw jobs of killed workers'))
      .catch((err) => logger.warn({ err }, 'dead draw worker sweep failed'));
  await beat();
  await sweep();
  const timers = [
    setInterval(beat, liveness.heartbeatMs),
    setInterval(sweep, Math.max(liveness.heartbeatMs, Math.floor(liveness.deadAfterMs / 3))),
  ];
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      await runner.stop();
      await pgPool.end();
      await forgetWorker(ctx.db, poolId).catch(() => {});
    },
  };
}
