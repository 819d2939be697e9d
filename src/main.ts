// npm start: configuration -> database -> the contexts (src/compose.ts) -> HTTP + scheduler (+ workers).
import { createServer } from 'node:http';
import { systemClock } from './clock.js';
import { loadDemo } from './commands/loadDemo.js';
import { composeApp } from './compose.js';
import { type Config, loadConfigOrExit } from './config.js';
import { openDatabase } from './db/database.js';
import { createDb } from './db/knex.js';
import { migrateAll } from './db/migrate.js';
import { requestListener } from './http/app.js';
import { drainableServer } from './http/drain.js';
import { keepConnections } from './http/keepAlive.js';
import { ACCEPT_DESCRIPTORS, listen } from './http/listen.js';
import { startChildProcess, startDrawProcess } from './jobs/childProcess.js';
import { drawReconcilerParts } from './jobs/draw.js';
import { startHousekeepingWorker } from './jobs/housekeeping.js';
import { instantSalesStep } from './jobs/instantSales.js';
import { paymentReconcilerStep, startPaymentsWorker } from './jobs/payments.js';
import { createReconciler } from './jobs/reconciler.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './metrics/registry.js';
import { channelsFromConfig, describeChannels } from './notify/channels.js';
import { startConfiguredNotifyWorker } from './notify/worker.js';
import { portOneSdk } from './portone/sdk.js';
import { shutdownInOrder } from './shutdown.js';

/** The order in which a signal stops the parts: requests first, the embedded database last. */
const PARTS = [
  'http',
  'stock reads',
  'reconciler',
  'notification worker',
  'draw worker',
  'housekeeping worker',
  'payments worker',
  'database pool',
  'embedded database',
] as const;
type Shutdown = ReturnType<typeof shutdownInOrder<(typeof PARTS)[number]>>;

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL);
  const shutdown = shutdownInOrder(logger, config.SHUTDOWN_GRACE_MS, PARTS);
  await start(config, logger, shutdown).catch((err) => shutdown.failedToStart(err));
}

async function start(config: Config, logger: Logger, shutdown: Shutdown) {
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  shutdown.add('embedded database', () => database.stop());
  if (database.embedded?.sharedWith)
    logger.warn(
      { data_dir: config.DATA_DIR, pid: database.embedded.sharedWith },
      'using the embedded PostgreSQL another process runs on this data directory (it stops with that process)',
    );
  else if (database.embedded)
    logger.info(
      { data_dir: config.DATA_DIR },
      'using the embedded PostgreSQL (set DATABASE_URL to use your own)',
    );
  const db = createDb(database.url, config.DATABASE_POOL_MAX);
  shutdown.add('database pool', () => db.destroy());
  const applied = await migrateAll(db, database.url);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const clock = systemClock;
  const metrics = createMetrics();
  const demo = (config.DEMO_DATA ?? Boolean(database.embedded)) ? await loadDemo({ db, clock }) : undefined;

  const { app, deps, contexts } = composeApp(config, db, { clock, logger, metrics });
  // Set up for PortOne: its SDK (loaded on first use elsewhere) is in before the first resident needs it, and a
  // broken install stops the start here rather than failing the first payment.
  if (config.PORTONE_API_SECRET) await portOneSdk();
  const server = keepConnections(createServer(requestListener(deps, app)));
  const listening = await listen(server, config.PORT, config.HOST); // taken: say so, stop the database started above
  const http = drainableServer(server, listening);
  void listening.widened.then((n) => {
    if (n < ACCEPT_DESCRIPTORS)
      logger.warn(
        { descriptors: n },
        `accepting on ${n} of ${ACCEPT_DESCRIPTORS} descriptors: a rush may queue`,
      );
  });
  shutdown.add('http', () => http.drain(config.SHUTDOWN_GRACE_MS));
  // the public stock reads on STOCK_PORT, in a process of their own at lower priority (src/stockReads.ts)
  const stockReads = config.STOCK_PORT
    ? startChildProcess('stockReads', 'the stock reads server', { DATABASE_URL: database.url }, logger)
    : undefined;
  if (stockReads) shutdown.add('stock reads', () => stockReads.stop());
  await stockReads?.ready;
  const { payments, payment: paymentCtx } = contexts;
  const draw = drawReconcilerParts(contexts.draw);
  // Each step in its own lane (reconciler.ts): the payment reconciler's 50 provider calls at a time do not hold the
  // waiting room's admission, which moves once a pass.
  draw.steps.push(instantSalesStep(contexts.instant, logger));
  if (paymentCtx) draw.steps.push(paymentReconcilerStep(paymentCtx, logger));
  logger.info({ provider: payments?.provider.name ?? 'none' }, 'payments: provider');
  const reconciler = config.RUN_SCHEDULER
    ? createReconciler(
        { db, clock },
        { logger, metrics, cron: config.RECONCILE_CRON, hooks: draw.hooks, steps: draw.steps },
      )
    : undefined;
  if (reconciler) shutdown.add('reconciler', () => reconciler.stop());
  await reconciler?.runOnce(); // catch up whatever was missed while the service was down
  const channels = channelsFromConfig(config);
  const worker = config.RUN_WORKER
    ? await startConfiguredNotifyWorker(config, database.url, logger, channels)
    : undefined;
  if (worker) shutdown.add('notification worker', () => worker.stop());
  if (worker) logger.info({ channels: describeChannels(channels) }, 'notifications: sending through');
  worker?.done.catch((err) => logger.fatal({ err }, 'the notification worker stopped unexpectedly'));
  const drawWorker = config.RUN_WORKER ? startDrawProcess(database.url, logger) : undefined;
  if (drawWorker) shutdown.add('draw worker', () => drawWorker.stop());
  const housekeeping = config.RUN_WORKER
    ? await startHousekeepingWorker(database.url, { db }, logger)
    : undefined;
  if (housekeeping) shutdown.add('housekeeping worker', () => housekeeping.stop());
  const paymentsWorker =
    config.RUN_WORKER && paymentCtx ? await startPaymentsWorker(database.url, paymentCtx, logger) : undefined;
  if (paymentsWorker) shutdown.add('payments worker', () => paymentsWorker.stop());

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
}

main().catch((err) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
