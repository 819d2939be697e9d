// A named (prepared) statement with :name bindings, compiled to $n once and run on the pool's connection
// (a transaction's own inside one). Through db.raw, knex re-parsed the named bindings, rewrote them to
// positions and went through its query runner on every call: about a tenth of the service's CPU on the intake
// path in a V8 profile of `npm run bench -- intake`, spent before the one round trip.
import type pg from 'pg';
import type { Db, Trx } from './knex.js';

// :name, but not the second half of a ::cast (knex reads the same bindings from the same text)
const BINDING = /(?<![:\w]):(\w+)/g;

export interface Prepared {
  /** $1..$n in place of each :name, in order; a name used twice takes two positions, as knex does */
  text: string;
  names: string[];
}

export function compileNamed(sql: string): Prepared {
  const names: string[] = [];
  const text = sql.replace(BINDING, (_, name: string) => {
    names.push(name);
    return `$${names.length}`;
  });
  return { text, names };
}

export function preparedStatement(name: string, sql: string) {
  return statement(name, sql);
}

/**
 * The same, but planned on every run, with the values and the tables as they are then: for a statement whose
 * plan made once a connection would go wrong as its tables grow (a plan made while a table was empty scans it).
 */
export function plannedEachRun(sql: string) {
  return statement(undefined, sql);
}

function statement(name: string | undefined, sql: string) {
  const { text, names } = compileNamed(sql);
  return async <R extends pg.QueryResultRow>(
    db: Db | Trx,
    bindings: Record<string, unknown>,
  ): Promise<pg.QueryResult<R>> => {
    const values = names.map((n) => {
      const v = bindings[n];
      // as db.raw refused it: a missing value is a bug, not a NULL
      if (v === undefined) throw new Error(`Undefined binding :${n} in the statement ${name ?? sql}`);
      return v;
    });
    const conn = (await db.client.acquireConnection()) as pg.PoolClient;
    try {
      return await conn.query<R>(name ? { name, text, values } : { text, values });
    } finally {
      await db.client.releaseConnection(conn);
    }
  };
}
