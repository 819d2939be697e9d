// A migration has one name in knex_migrations whether its .ts (under tsx) or its built .js (dist/, the Docker
// image, this suite's build/) ran it: the template is migrated under tsx, and this file runs as built JavaScript.
import test from 'ava';
import { migrateLatest, migrateRollback, pendingMigrations } from '../../src/db/migrate.js';
import { createTestDatabase } from '../helpers/db.js';

const names = async (db: Awaited<ReturnType<typeof createTestDatabase>>['db']) =>
  (await db('knex_migrations').orderBy('id').select('name')).map((r: { name: string }) => r.name);

test('a database migrated from the .ts files is current for the built .js ones, and the reverse', async (t) => {
  const { db, drop } = await createTestDatabase(2);
  t.teardown(drop);
  const recorded = await names(db);
  t.true(recorded.length > 10);
  t.true(
    recorded.every((n) => n.endsWith('.ts')),
    'the template was migrated under tsx',
  );
  t.deepEqual(await pendingMigrations(db), [], 'nothing pending');
  t.deepEqual(await migrateLatest(db), [], 'nothing run again, and no "corrupt directory" refusal');

  // as a release before one name recorded them when the built service migrated (the Docker image)
  await db.raw(`UPDATE knex_migrations SET name = regexp_replace(name, '\\.ts$', '.js')`);
  t.deepEqual(await migrateLatest(db), [], 'nothing run again');
  t.deepEqual(await names(db), recorded, 'the names are the .ts ones again, in their order');

  // and rollback still finds the last batch by those names
  const last = await db('knex_migrations').max('batch as b').first();
  const inLast = await db('knex_migrations').where({ batch: last!.b }).count('* as n').first();
  t.is((await migrateRollback(db)).length, Number(inLast!.n));
  t.true((await pendingMigrations(db)).length > 0, 'the rolled-back batch is pending');
  t.true((await migrateLatest(db)).length > 0, 'and runs again');
  t.deepEqual(await names(db), recorded);
});
