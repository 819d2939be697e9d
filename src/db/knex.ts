import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

export type { Knex };
export type Db = Knex;
export type Trx = Knex.Transaction;

// int8 (counts, KRW sums) as JS numbers: every value we store stays below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/**
 * A WHERE condition that lets a one-statement write commit without waiting for its WAL flush
 * (synchronous_commit off for that statement's own transaction; the session's setting is untouched). Only for
 * writes a crash may lose because they are redone: a commit's flush wait is 3-6 ms on this project's disk, and a
 * sale's opening is commits queued behind flushes. A later synchronous commit flushes these with it, so a write
 * that depends on one (a purchase spending the token) is never durable without it. Never inside a transaction.
 */
export const COMMIT_WITHOUT_FLUSH = "set_config('synchronous_commit', 'off', true) = 'off'";

/** How long a query waits for one of the pool's connections before it fails as isPoolTimeout. */
export const POOL_WAIT_MS = 10_000;

export function createDb(url: string, poolMax = 10, poolWaitMs = POOL_WAIT_MS): Db {
  return knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: poolWaitMs,
    log: { warn: (message: string) => isPoolWaitWarning(message) || console.warn(message) },
  });
}

/**
 * Knex prints a stack to the console for every pool wait that ran out, besides throwing KnexTimeoutError: in an
 * overload, thousands. The service counts those refusals and logs them (http/errors.ts noteOverload); knex's other
 * warnings (a connection that failed to open, say) still print.
 */
const isPoolWaitWarning = (message: string) =>
  message.startsWith('Acquire connection error: ') && message.includes('operation timed out');

/**
 * The pool had no connection to give within its wait: the process has more work than connections (an overload,
 * or connections held too long), and this query was never sent. (Knex's one other timeout, a query's own
 * `.timeout()`, is not used here.)
 */
export function isPoolTimeout(err: unknown): boolean {
  return err instanceof knexFactory.KnexTimeoutError;
}
