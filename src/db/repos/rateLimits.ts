import type { Db, Trx } from '../knex.js';

/**
 * Deletes rate-limit rows (rate-limiter-flexible's PostgreSQL store, `expire` in epoch milliseconds) whose
 * window ended before `before`. The limiter treats such rows as fresh anyway, so only the table's size changes.
 */
export async function deleteExpiredRateLimits(db: Db | Trx, before: Date): Promise<number> {
  return db('rate_limits').where('expire', '<', before.getTime()).delete();
}
