// knex's own migrator over migrations/ (TypeScript under tsx, JavaScript once built to dist/).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './knex.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const extension = path.extname(fileURLToPath(import.meta.url));

export const migrationConfig = {
  directory: path.resolve(here, '../../migrations'),
  loadExtensions: [extension],
  tableName: 'knex_migrations',
};

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

export async function migrateRollback(db: Db): Promise<string[]> {
  const [, rolledBack] = (await db.migrate.rollback(migrationConfig)) as [number, string[]];
  return rolledBack;
}

/** Names of migrations in the folder that the database has not run yet. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const [, pending] = (await db.migrate.list(migrationConfig)) as [unknown[], Array<{ file: string }>];
  return pending.map((p) => p.file);
}
