// The public stock read (GET /api/campaigns/:id/stock) in a process of its own, at lower CPU priority, on
// STOCK_PORT: npm start forks it when STOCK_PORT is set, and the proxy sends those reads here, so that the
// public's polling never queues ahead of a counter's collection on the service's event loop. It answers from
// the same per-process snapshots (at most half a second old) and the same fast path as the service's route.
import fs from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { systemClock } from './clock.js';
import { stockReader } from './commands/campaignStock.js';
import { loadConfigOrExit } from './config.js';
import { createDb } from './db/knex.js';
import { drainableServer } from './http/drain.js';
import { listen } from './http/listen.js';
import { stockReadsListener } from './http/routes/stock/fastPath.js';
import { createLogger } from './logger.js';
import { exitWhenStopped } from './shutdown.js';

// two clients: one snapshot query per campaign at a time, whatever the number of readers
const POOL_MAX = 2;

async function main() {
  const config = loadConfigOrExit();
  const url = config.DATABASE_URL;
  const port = config.STOCK_PORT;
  if (!url || !port) throw new Error('the stock reads server needs DATABASE_URL and STOCK_PORT');
  const logger = createLogger(config.LOG_LEVEL).child({ process: 'stock-reads' });
  // below the service: under load the OS runs a counter's collection first, and the reads take what is left
  lowerPriority(config.STOCK_NICE);
  const db = createDb(url, POOL_MAX);
  const server = createServer(stockReadsListener({ stock: stockReader({ db, clock: systemClock }) }));
  const listening = await listen(server, port, config.HOST).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'EADDRINUSE' ? new PortTaken(`${config.HOST}:${port}`) : err;
  });
  const http = drainableServer(server, listening);
  logger.info({ url: `http://${config.HOST}:${port}` }, 'stock reads: listening');
  process.send?.('ready');
  exitWhenStopped(async () => {
    await http.drain(config.SHUTDOWN_GRACE_MS);
    await db.destroy();
  });
}

/**
 * The process at `nice`, every thread of it: on Linux setpriority reaches the calling thread only, so V8's
 * threads (garbage collection, compilation), started before this, stayed at the service's priority; threads
 * started later take the value from the main thread.
 */
function lowerPriority(nice: number): void {
  os.setPriority(nice);
  let threads: string[] = [];
  try {
    threads = fs.readdirSync('/proc/self/task');
  } catch {
    return; // no /proc: elsewhere the call above set the whole process
  }
  for (const tid of threads) {
    try {
      os.setPriority(Number(tid), nice);
    } catch {
      // the thread ended meanwhile
    }
  }
}

/** STOCK_PORT is in use: said in the operator's terms, without a stack, to the parent too (its start fails with it). */
class PortTaken extends Error {
  constructor(address: string) {
    super(
      `STOCK_PORT: ${address} is already in use by another process; set STOCK_PORT to a free port (or stop what listens there)`,
    );
  }
}

main().catch((err) => {
  const said = err instanceof PortTaken ? err.message : err instanceof Error ? err.stack : String(err);
  process.stderr.write(`The stock reads server failed: ${said}\n`);
  process.send?.({ failed: err instanceof Error ? err.message : String(err) }, () => process.exit(1));
  if (!process.send) process.exit(1);
});
