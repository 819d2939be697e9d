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

export function createDb(url: string, poolMax = 10): Db {
  return knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
  });
}
