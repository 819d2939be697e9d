// Periodic clean-up and the audit chain's full check through graphile-worker's cron (no hand-written scheduler): every ten minutes one job is
// scheduled for the whole cluster (graphile-worker records each run in known_crontabs, so several instances
// schedule it once), and the task takes the scheduled timestamp as its `now`.
import { EventEmitter } from 'node:events';
import { parseCronItems, type Runner, run, type Task } from 'graphile-worker';
import { recordAuditCheckpoint } from '../commands/checkAuditChain.js';
import { cleanupVerification } from '../commands/cleanupVerification.js';
import type { Db } from '../db/knex.js';
import type { Logger } from '../logger.js';
import { endingPool, jobQueuePool } from './jobQueuePool.js';
import { warningsAndErrorsTo } from './workerLogger.js';

export const CLEANUP_TASK = 'identity_cleanup';
export const CLEANUP_SCHEDULE = '*/10 * * * *';

/** The task: `_cron.ts` (set by graphile-worker on cron jobs) is the moment it was due; else the job's run time. */
export function cleanupTask(ctx: { db: Db }, logger: Logger): Task {
  return async (payload, helpers) => {
    const ts = (payload as { _cron?: { ts?: string } } | null)?._cron?.ts;
    const now = ts ? new Date(ts) : helpers.job.run_at;
    const removed = await cleanupVerification(ctx, now);
    if (removed.challenges || removed.rate_limits) logger.info({ ...removed, now }, 'verification clean-up');
  };
}

export const AUDIT_CHECKPOINT_TASK = 'audit_checkpoint';

/** The whole audit chain from the genesis, off the request path; requests then check from its checkpoint. */
export function auditCheckpointTask(ctx: { db: Db }, logger: Logger): Task {
  return async (_payload, helpers) => {
    const check = await recordAuditCheckpoint(ctx, helpers.job.run_at);
    if (!check.ok) logger.error({ chain: check }, 'the audit chain is broken');
  };
}

export const housekeepingCron = () =>
  parseCronItems([
    { task: CLEANUP_TASK, match: CLEANUP_SCHEDULE, identifier: CLEANUP_TASK },
    { task: AUDIT_CHECKPOINT_TASK, match: CLEANUP_SCHEDULE, identifier: AUDIT_CHECKPOINT_TASK },
  ]);

export async function startHousekeepingWorker(
  connectionString: string,
  ctx: { db: Db },
  logger: Logger,
  events: EventEmitter = new EventEmitter(),
): Promise<Runner> {
  const pgPool = jobQueuePool(connectionString, 2, logger);
  const runner = await run({
    pgPool,
    concurrency: 1,
    noHandleSignals: true,
    pollInterval: 5000,
    events,
    logger: warningsAndErrorsTo(logger),
    taskList: {
      [CLEANUP_TASK]: cleanupTask(ctx, logger),
      [AUDIT_CHECKPOINT_TASK]: auditCheckpointTask(ctx, logger),
    },
    parsedCronItems: housekeepingCron(),
  });
  return endingPool(runner, pgPool);
}
