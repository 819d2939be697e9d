// The pool's connections, opened ahead of a rush (runSales.ts, the last seconds before an instant sale opens).
import type { Db } from '../knex.js';

/**
 * Makes the pool open up to `n` connections now, so that a rush to come does not wait for them: a PostgreSQL backend
 * started in a sale's opening took 0.5-0.7 s on a busy machine, and every query waited behind it. As many queries at
 * once, each holding its connection a moment, so none is served by another's; a connection still being made when
 * they end joins the pool when it is ready. The pool closes them again once idle for 30 s (tarn's default).
 */
export async function openConnections(db: Db, n: number): Promise<void> {
  await Promise.all(Array.from({ length: n }, () => db.raw('SELECT pg_sleep(0.05)')));
}
