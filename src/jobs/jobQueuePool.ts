// The connection pool a graphile-worker runner uses. Given only a connection string, graphile-worker makes its
// own pool and, when the runner stops, removes that pool's error handlers and ends it without waiting
// (graphile-worker 0.17, dist/lib.js makeNewPool): a connection still open when npm start then stops its embedded
// PostgreSQL raised an 'error' nobody listened to, and the process crashed at shutdown (seen in CI under load).
// Our pool keeps its handlers for good, and the runner's stop waits for it to end.
import pg from 'pg';
import type { Logger } from '../logger.js';

export function jobQueuePool(connectionString: string, max: number, logger: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  const heard = (err: Error) => logger.warn({ err }, 'a job queue connection failed');
  pool.on('error', heard);
  pool.on('connect', (client) => client.on('error', heard));
  return pool;
}

/** The runner, whose stop also ends its pool (after the jobs in hand finish). */
export function endingPool<R extends { stop(): Promise<void> }>(runner: R, pool: pg.Pool): R {
  const stop = runner.stop.bind(runner);
  return Object.assign(runner, {
    stop: async () => {
      await stop();
      await pool.end();
    },
  });
}
