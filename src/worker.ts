// npm run worker: only the notification worker, for deployments that send from separate processes.
// It migrates nothing (npm start does); it waits for the schema, sends, and stops cleanly on SIGTERM.
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { createLogger } from './logger.js';
import { channelsFromConfig, describeChannels } from './notify/channels.js';
import { useRecipientKey } from './notify/recipient.js';
import { startConfiguredNotifyWorker } from './notify/worker.js';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  useRecipientKey(config.secrets.dataKey);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const channels = channelsFromConfig(config);
  logger.info({ channels: describeChannels(channels) }, 'notification channels');
  const worker = await startConfiguredNotifyWorker(config, database.url, logger, channels);

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
