// What /readyz asks the database: does it answer, and which migrations has it not run yet.
import type { Db } from '../knex.js';
import { pendingMigrations } from '../migrate.js';

/** The names of migrations not yet applied; throws when the database does not answer. */
export async function missingMigrations(db: Db): Promise<string[]> {
  await db.raw('select 1');
  return pendingMigrations(db);
}
