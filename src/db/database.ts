// Which PostgreSQL to use: DATABASE_URL when set, otherwise a private embedded server under DATA_DIR.
import path from 'node:path';
import pg from 'pg';
import type { EmbeddedDatabase } from './embedded.js';

export const EMBEDDED_DB_NAME = 'fair_allocation';

export interface DatabaseHandle {
  url: string;
  embedded: EmbeddedDatabase | undefined;
  stop(): Promise<void>;
}

export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

export async function openDatabase(opts: { url: string | undefined; dataDir: string }) {
  if (opts.url) return { url: opts.url, embedded: undefined, stop: async () => {} } satisfies DatabaseHandle;
  // Loaded only when needed: a production deployment with DATABASE_URL never touches the embedded binaries.
  const { startEmbeddedPostgres } = await import('./embedded.js');
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(opts.dataDir, 'pg'), persistent: true });
  await createDatabaseIfMissing(embedded.url, EMBEDDED_DB_NAME);
  return {
    url: embedded.urlFor(EMBEDDED_DB_NAME),
    embedded,
    stop: () => embedded.stop(),
  } satisfies DatabaseHandle;
}
