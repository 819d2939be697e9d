// The first-application statement skips knex's per-call binding rewrite; its compiled text and value order
// must be what db.raw would have sent for the same named SQL (casts left alone, a repeated name twice).
import test from 'ava';
import knex from 'knex';
import { compileNamed } from '../../src/db/prepared.js';

const offline = knex({ client: 'pg' });

test('named bindings compile to the positional text and value order knex produces', (t) => {
  const sql = `SELECT :id, :tags::text[], (SELECT x FROM t WHERE t.id = :id), :n::int + 1,
    :region::text IS NOT NULL, now()::date, coalesce(:region, 'none')`;
  const values = { id: 'a', tags: ['x'], n: 3, region: 'r' };
  const ours = compileNamed(sql);
  const theirs = offline.raw(sql, values).toSQL().toNative();
  t.is(ours.text, theirs.sql);
  t.deepEqual(
    ours.names.map((n) => values[n as keyof typeof values]),
    theirs.bindings,
  );
  t.deepEqual(ours.names, ['id', 'tags', 'id', 'n', 'region', 'region']);
});
