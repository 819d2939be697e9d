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

// graphile-worker keeps its own schema (graphile_worker) and migrations; they run before ours so a
// migration of ours may refer to it. Quiet: its log lines go nowhere unless something fails (it throws).
// Loaded here, not at the top: the health check reads pendingMigrations from this module on every start and
// in every test file, which need not load the job queue's library with it.
export async function migrateWorkerSchema(connectionString: string): Promise<void> {
  const { runMigrations, Logger } = await import('graphile-worker');
  await runMigrations({ connectionString, logger: new Logger(() => () => {}) });
}

/** Everything a database needs before the service (or a test) uses it: the job queue's schema, then ours. */
export async function migrateAll(db: Db, connectionString: string): Promise<string[]> {
  await migrateWorkerSchema(connectionString);
  return migrateLatest(db);
}
