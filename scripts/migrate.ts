// npm run migrate | npm run migrate:rollback — knex's migrator on the configured (or embedded) database.
import { migrateLatest, migrateRollback } from '../src/db/migrate.js';
import { fail, withDatabase } from './cli.js';

const command = process.argv[2];
if (command !== 'latest' && command !== 'rollback') fail('usage: migrate.ts latest|rollback');

await withDatabase(async (db) => {
  const names = command === 'latest' ? await migrateLatest(db) : await migrateRollback(db);
  const verb = command === 'latest' ? 'applied' : 'rolled back';
  console.log(
    names.length
      ? `${verb}:\n  ${names.join('\n  ')}`
      : `nothing to do: ${command === 'latest' ? 'already up to date' : 'no migration to roll back'}`,
  );
});
