// Composition root: configuration -> database -> HTTP + scheduler (+ worker). No logic lives here.
import http from 'node:http';
import { systemClock } from './clock.js';
import { loadDemo } from './commands/loadDemo.js';
import { loadConfigOrExit } from './config.js';
import { openDatabase } from './db/database.js';
import { createDb } from './db/knex.js';
import { migrateAll } from './db/migrate.js';
import { createApp } from './http/app.js';
import { createMetrics } from './http/metrics.js';
import { cryptoRandom } from './identity/random.js';
import { beaconMissingGauge, createBeaconFetcher, drawReconcilerParts } from './jobs/draw.js';
import { startDrawProcess } from './jobs/drawProcess.js';
import { startHousekeepingWorker } from './jobs/housekeeping.js';
import { instantSalesStep } from './jobs/instantSales.js';
import { paymentReconcilerStep, startPaymentsWorker } from './jobs/payments.js';
import { createReconciler } from './jobs/reconciler.js';
import { createLogger } from './logger.js';
import { channelsFromConfig, describeChannels } from './notify/channels.js';
import { startConfiguredNotifyWorker } from './notify/worker.js';
import { paymentsFromConfig } from './payments/fromConfig.js';

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    stopAfterApp: true,
  });
  if (database.embedded)
    logger.info(
      { data_dir: config.DATA_DIR },
      'using the embedded PostgreSQL (set DATABASE_URL to use your own)',
    );
  const db = createDb(database.url, config.DATABASE_POOL_MAX);
  const applied = await migrateAll(db, database.url);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const clock = systemClock;
  const metrics = createMetrics();
  const demo = (config.DEMO_DATA ?? Boolean(database.embedded)) ? await loadDemo({ db, clock }) : undefined;

  const payments = paymentsFromConfig(config, db);
  const app = createApp({ config, db, clock, logger, metrics, payments });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const drawCtx = {
    db,
    clock,
    secrets: config.secrets,
    random: cryptoRandom,
    publicUrl: config.publicUrl,
    beaconSource: config.BEACON_SOURCE,
    fetchBeacon: config.BEACON_URL
      ? createBeaconFetcher(config.BEACON_URL, config.BEACON_TIMEOUT_MS)
      : undefined,
    logger,
    metrics: beaconMissingGauge(metrics),
  };
  const draw = drawReconcilerParts(drawCtx);
  const paymentCtx = payments && {
    db,
    clock,
    secrets: config.secrets,
    publicUrl: config.publicUrl,
    provider: payments.provider,
    issuer: payments.issuer,
  };
  if (paymentCtx) draw.steps.push(paymentReconcilerStep(paymentCtx, logger));
  draw.steps.push(
    instantSalesStep({
      db,
      clock,
      random: cryptoRandom,
      secrets: config.secrets,
      publicUrl: config.publicUrl,
      payment: paymentCtx,
    }),
  );
  logger.info({ provider: payments?.provider.name ?? 'none' }, 'payments: provider');
  const reconciler = config.RUN_SCHEDULER
    ? createReconciler(
        { db, clock },
        { logger, metrics, cron: config.RECONCILE_CRON, hooks: draw.hooks, steps: draw.steps },
      )
    : undefined;
  await reconciler?.runOnce(); // catch up whatever was missed while the service was down
  const channels = channelsFromConfig(config);
  const worker = config.RUN_WORKER
    ? await startConfiguredNotifyWorker(config, database.url, logger, channels)
    : undefined;
  if (worker) logger.info({ channels: describeChannels(channels) }, 'notifications: sending through');
  worker?.done.catch((err) => logger.fatal({ err }, 'the notification worker stopped unexpectedly'));
  const drawWorker = config.RUN_WORKER ? startDrawProcess(database.url, logger) : undefined;
  const housekeeping = config.RUN_WORKER
    ? await startHousekeepingWorker(database.url, { db }, logger)
    : undefined;

  const paymentsWorker =
    config.RUN_WORKER && paymentCtx ? await startPaymentsWorker(database.url, paymentCtx, logger) : undefined;

  const address = server.address();
  const url =
    typeof address === 'object' && address ? `http://${config.HOST}:${address.port}` : config.publicUrl;
  logger.info({ url }, 'listening');
  process.stdout.write(`\n  Open ${url}/campaigns\n`);
  if (demo) {
    process.stdout.write(
      `  Admin sign-in (one-time link): ${config.publicUrl}/staff/login/${demo.adminLoginToken}\n`,
    );
    process.stdout.write(
      `  Auditor sign-in (one-time link): ${config.publicUrl}/staff/login/${demo.auditorLoginToken}\n`,
    );
  }
  process.stdout.write('\n');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing those in flight');
    const force = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(force);
    await reconciler?.stop();
    await worker?.stop();
    await drawWorker?.stop();
    await housekeeping?.stop();
    await paymentsWorker?.stop();
    await db.destroy();
    await database.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
