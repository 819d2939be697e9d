// npm run worker: the queue's workers without the web server, for deployments that send from separate
// processes (RUN_WORKER=false on the web instances): the notification worker and the draw's tasks (roster
// freeze, draw, results fan-out, a cancel's notices), and the ten-minute verification clean-up (src/jobs/housekeeping.ts).
// It migrates nothing (npm start does); it sends, and stops cleanly on SIGTERM.

import { loadConfigOrExit } from './config.js';
import { drawContextOf, paymentContextOf } from './contexts.js';
import { openDatabase } from './db/database.js';
import { createDb } from './db/knex.js';
import { startDrawWorker } from './jobs/draw.js';
import { startHousekeepingWorker } from './jobs/housekeeping.js';
import { startPaymentsWorker } from './jobs/payments.js';
import { createLogger } from './logger.js';
import { channelsFromConfig, describeChannels } from './notify/channels.js';
import { startConfiguredNotifyWorker } from './notify/worker.js';

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const channels = channelsFromConfig(config);
  logger.info({ channels: describeChannels(channels) }, 'notification channels');
  const worker = await startConfiguredNotifyWorker(config, database.url, logger, channels);
  // The draw's tasks: roster freezes, draws and result fan-outs (src/jobs/draw.ts).
  const db = createDb(database.url, 4);
  const drawWorker = await startDrawWorker(database.url, drawContextOf(config, db, { logger }), logger, {
    heartbeatMs: config.WORKER_HEARTBEAT_MS,
    deadAfterMs: config.WORKER_DEAD_AFTER_MS,
  });
  const housekeeping = await startHousekeepingWorker(database.url, { db }, logger);
  // Voucher issue and refund jobs (the payment provider is the one the web instances use).
  const { payment } = paymentContextOf(config, db);
  const paymentsWorker = payment ? await startPaymentsWorker(database.url, payment, logger) : undefined;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the worker: finishing the messages in hand');
    const force = setTimeout(() => {
      logger.error('the worker did not stop in time; exiting (unfinished messages are retried elsewhere)');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    await worker.stop();
    await drawWorker.stop();
    await housekeeping.stop();
    await paymentsWorker?.stop();
    await db.destroy();
    await database.stop();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  worker.done.catch((err) => {
    logger.fatal({ err }, 'the worker stopped unexpectedly');
    process.exit(1);
  });
}

main().catch((err) => {
  process.stderr.write(`Failed to start the worker: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
