// knex's own migrator over migrations/ (TypeScript under tsx, JavaScript once built to dist/).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import type { Db } from './knex.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const extension = path.extname(fileURLToPath(import.meta.url));
const directory = path.resolve(here, '../../migrations');

/** A migration's name in knex_migrations: its file's, always with .ts, whether the .ts or its built .js runs. */
const recordedName = (file: string) => file.replace(/\.js$/, '.ts');

/**
 * knex's folder source names a migration by its file, extension and all, so a database migrated under tsx (.ts)
 * and then served from dist/ (.js) was "corrupt, files missing" at start, and the reverse re-ran every migration.
 * This source (knex's migrationSource interface) reads the folder in this module's extension and names each the same.
 */
const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return fs
      .readdirSync(directory)
      .filter((f) => path.extname(f) === extension && !f.endsWith('.d.ts'))
      .sort();
  },
  getMigrationName: recordedName,
  async getMigration(file) {
    return import(pathToFileURL(path.join(directory, file)).href);
  },
};

export const migrationConfig = { migrationSource, tableName: 'knex_migrations' };

/** Names recorded as .js by a release before one name for both (the Docker image runs the built .js). */
async function renameBuiltRecords(db: Db): Promise<void> {
  const { rows } = await db.raw(`SELECT to_regclass('knex_migrations') IS NOT NULL AS present`);
  if (!rows[0].present) return;
  await db.raw(
    `UPDATE knex_migrations SET name = regexp_replace(name, '\\.js$', '.ts') WHERE name LIKE '%.js'`,
  );
}

export async function migrateLatest(db: Db): Promise<string[]> {
  await renameBuiltRecords(db);
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

export async function migrateRollback(db: Db): Promise<string[]> {
  await renameBuiltRecords(db);
  const [, rolledBack] = (await db.migrate.rollback(migrationConfig)) as [number, string[]];
  return rolledBack;
}

/** Names of migrations in the folder that the database has not run yet. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const [, pending] = (await db.migrate.list(migrationConfig)) as [unknown[], string[]];
  return pending.map(recordedName);
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
