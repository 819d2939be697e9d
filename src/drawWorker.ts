// The draw worker as its own process: the roster freeze at the close, the draw and the results fan-out
// (src/jobs/draw.ts). npm start forks it (RUN_WORKER) so that a million-entry freeze or draw takes a core of
// its own and never the web process's event loop; npm run worker runs the same tasks in its process.

import { loadConfigOrExit } from './config.js';
import { drawContextOf } from './contexts.js';
import { createDb } from './db/knex.js';
import { startDrawWorker } from './jobs/draw.js';
import { createLogger } from './logger.js';
import { exitWhenStopped } from './shutdown.js';

async function main() {
  const config = loadConfigOrExit();
  const url = config.DATABASE_URL;
  if (!url) throw new Error('the draw worker needs DATABASE_URL (npm start passes its own)');
  const logger = createLogger(config.LOG_LEVEL).child({ process: 'draw-worker' });
  const db = createDb(url, 4);
  const worker = await startDrawWorker(url, drawContextOf(config, db, { logger }), logger, {
    heartbeatMs: config.WORKER_HEARTBEAT_MS,
    deadAfterMs: config.WORKER_DEAD_AFTER_MS,
  });
  process.send?.('ready');
  exitWhenStopped(async () => {
    await worker.stop(); // finishes the job in hand; a killed one reruns elsewhere
    await db.destroy();
  });
}

main().catch((err) => {
  process.stderr.write(`The draw worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
