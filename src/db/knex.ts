import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

export type { Knex };
export type Db = Knex;
export type Trx = Knex.Transaction;

// int8 (counts, KRW sums) as JS numbers: every value we store stays below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export function createDb(url: string, poolMax = 10): Db {
  return knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
  });
}
