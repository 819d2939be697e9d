// Periodic clean-up through graphile-worker's cron (no hand-written scheduler): every ten minutes one job is
// scheduled for the whole cluster (graphile-worker records each run in known_crontabs, so several instances
// schedule it once), and the task takes the scheduled timestamp as its `now`.
import { EventEmitter } from 'node:events';
import { parseCronItems, type Runner, run, type Task, Logger as WorkerLogger } from 'graphile-worker';
import { cleanupVerification } from '../commands/cleanupVerification.js';
import type { Db } from '../db/knex.js';
import type { Logger } from '../logger.js';

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

export const housekeepingCron = () =>
  parseCronItems([{ task: CLEANUP_TASK, match: CLEANUP_SCHEDULE, identifier: CLEANUP_TASK }]);

export async function startHousekeepingWorker(
  connectionString: string,
  ctx: { db: Db },
  logger: Logger,
  events: EventEmitter = new EventEmitter(),
): Promise<Runner> {
  return run({
    connectionString,
    concurrency: 1,
    maxPoolSize: 2,
    noHandleSignals: true,
    pollInterval: 5000,
    events,
    logger: new WorkerLogger(() => (level, message, meta) => {
      if (level === 'error') logger.error(meta ?? {}, message);
      else if (level === 'warning') logger.warn(meta ?? {}, message);
    }),
    taskList: { [CLEANUP_TASK]: cleanupTask(ctx, logger) },
    parsedCronItems: housekeepingCron(),
  });
}
