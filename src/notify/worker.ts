// The notification worker: graphile-worker running send_message, the outbox relay that gives enqueued
// messages their jobs, and a heartbeat so that jobs held by a worker that was killed (SIGKILL, OOM, power)
// go back to the queue within WORKER_DEAD_AFTER_MS instead of graphile-worker's own 4-hour lock timeout.
// Runs inside npm start, or alone via npm run worker.
import { EventEmitter } from 'node:events';
import os from 'node:os';
import { type Runner, run, type Task, type WorkerEvents, Logger as WorkerLogger } from 'graphile-worker';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { createDb } from '../db/knex.js';
import { SEND_TASK } from '../db/repos/messages.js';
import { beatHeart, forgetWorker, unlockJobsOfDeadWorkers } from '../db/repos/notifyWorkers.js';
import type { Logger } from '../logger.js';
import type { BackoffPolicy } from './backoff.js';
import type { ChannelAdapter } from './channel.js';
import type { Channel } from './notice.js';
import './localQueueRelease.js';
import { jobQueuePool } from '../jobs/jobQueuePool.js';
import { startOutboxRelay } from './outbox.js';
import { createSendRateLimiter } from './rateLimit.js';
import { batchedStore, sendMessage } from './sendMessage.js';

export interface NotifyWorkerOptions {
  connectionString: string;
  channels: Record<Channel, ChannelAdapter>;
  logger: Logger;
  /** DATA_KEY, to open sealed recipients */
  dataKey: Uint8Array;
  concurrency: number;
  /** connections for graphile-worker's own pool and, separately, for message updates */
  poolMax: number;
  ratePerSecond: Record<Channel, number>;
  maxAttempts: number;
  backoff: BackoffPolicy;
  heartbeatMs: number;
  deadAfterMs: number;
  /** how many jobs a worker locks and holds locally per fetch (graphile-worker localQueue); 0 = off */
  localQueueSize?: number;
  /** how often an idle outbox relay looks for new messages (default 100 ms) */
  relayIdleMs?: number;
}

export interface NotifyWorker {
  poolId: string;
  stop(): Promise<void>;
  /** resolves if the runner ends by itself (a fatal error) */
  done: Promise<void>;
}

function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const fields = { scope: { label: scope.label, workerId: scope.workerId, jobId: scope.jobId }, ...meta };
    if (level === 'error') logger.error(fields, message);
    else if (level === 'warning') logger.warn(fields, message);
    else if (level === 'info') logger.debug(fields, message);
  });
}

export async function startNotifyWorker(opts: NotifyWorkerOptions): Promise<NotifyWorker> {
  const db: Knex = createDb(opts.connectionString, opts.poolMax);
  const limiter = createSendRateLimiter(db, opts.ratePerSecond);
  const deps = {
    db,
    channels: opts.channels,
    limiter,
    logger: opts.logger,
    dataKey: opts.dataKey,
    maxAttempts: opts.maxAttempts,
    backoff: opts.backoff,
    // one claim and one 'sent' statement per batch of concurrent sends, not per message (2x msgs/s)
    store: batchedStore(db),
  };
  const sendTask: Task = async (payload, helpers) => {
    const { id, channel } = payload as { id: string; channel: Channel };
    await sendMessage(deps, id, channel, helpers.abortSignal);
  };

  const events: WorkerEvents = new EventEmitter();
  let poolId = '';
  events.on('pool:create', ({ workerPool }) => {
    poolId = workerPool.id;
  });
  const localQueueSize = opts.localQueueSize ?? opts.concurrency * 2;
  const pgPool = jobQueuePool(opts.connectionString, opts.poolMax, opts.logger);
  const runner: Runner = await run({
    pgPool,
    concurrency: opts.concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: workerLogger(opts.logger),
    events,
    taskList: { [SEND_TASK]: sendTask },
    preset: {
      worker: {
        ...(localQueueSize > 0 ? { localQueue: { size: localQueueSize } } : {}),
        // Completions are written in batches every few ms instead of one query per job.
        completeJobBatchDelay: 5,
        failJobBatchDelay: 5,
      },
    },
  });
  if (!poolId) throw new Error('graphile-worker did not report its pool id');

  const relay = startOutboxRelay({
    db,
    logger: opts.logger,
    idleMs: opts.relayIdleMs ?? 100,
    batchSize: 1000,
  });
  const host = os.hostname();
  await beatHeart(db, poolId, host, process.pid);
  const timers = [
    setInterval(() => {
      beatHeart(db, poolId, host, process.pid).catch((err) =>
        opts.logger.warn({ err }, 'worker heartbeat failed'),
      );
    }, opts.heartbeatMs),
    setInterval(
      () => {
        unlockJobsOfDeadWorkers(db, opts.deadAfterMs)
          .then(
            (ids) =>
              ids.length &&
              opts.logger.warn({ workers: ids }, 'handed back jobs held by workers that stopped beating'),
          )
          .catch((err) => opts.logger.warn({ err }, 'dead-worker sweep failed'));
      },
      Math.max(opts.heartbeatMs, Math.floor(opts.deadAfterMs / 3)),
    ),
  ];
  // Whatever an earlier run of this host left locked can be handed back now rather than later.
  await unlockJobsOfDeadWorkers(db, opts.deadAfterMs);
  opts.logger.info(
    { pool_id: poolId, concurrency: opts.concurrency, rate: opts.ratePerSecond },
    'notification worker started',
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const t of timers) clearInterval(t);
      await relay.stop();
      await runner.stop(); // finishes the jobs in hand, returns the ones fetched but not started
      await pgPool.end();
      await forgetWorker(db, poolId).catch(() => {});
      await Promise.all(Object.values(opts.channels).map((c) => c.close?.()));
      await db.destroy();
      opts.logger.info({ pool_id: poolId }, 'notification worker stopped');
    })();
    return stopping;
  };
  return { poolId, stop, done: runner.promise };
}

/** The worker as configured by the environment (npm start and npm run worker share this). */
export function startConfiguredNotifyWorker(
  config: Config,
  connectionString: string,
  logger: Logger,
  channels: Record<Channel, ChannelAdapter>,
): Promise<NotifyWorker> {
  return startNotifyWorker({
    connectionString,
    channels,
    logger,
    dataKey: config.secrets.dataKey,
    concurrency: config.WORKER_CONCURRENCY,
    poolMax: config.WORKER_POOL_MAX,
    ratePerSecond: { sms: config.SMS_RATE_PER_SECOND, email: config.EMAIL_RATE_PER_SECOND },
    maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
    backoff: { baseMs: config.NOTIFY_RETRY_BASE_MS, maxMs: config.NOTIFY_RETRY_MAX_MS },
    heartbeatMs: config.WORKER_HEARTBEAT_MS,
    deadAfterMs: config.WORKER_DEAD_AFTER_MS,
  });
}
