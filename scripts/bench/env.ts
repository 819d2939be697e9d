// Where benchmarks run: DATABASE_URL's server, or a throwaway embedded PostgreSQL; each run gets a fresh database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { createDb, type Db } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';

export interface BenchDatabase {
  url: string;
  adminUrl: string;
  name: string;
  db: Db;
  server: 'DATABASE_URL' | 'embedded';
  close(): Promise<void>;
}

function withName(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function benchDatabase(label: string, poolMax = 10): Promise<BenchDatabase> {
  let adminUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  if (!adminUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fa-bench-'));
    // fsync on: a benchmark's commits cost what they cost in production
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'data'),
      persistent: false,
      fsync: true,
      // BENCH_PG_STATEMENTS=1: the server counts time per statement (pg_stat_statements), for a profile of a run
      ...(process.env.BENCH_PG_STATEMENTS
        ? { settings: ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all'] }
        : {}),
    });
    adminUrl = embedded.url;
    stopServer = async () => {
      await embedded.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const name = `bench_${label}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withName(adminUrl, name);
  const db = createDb(url, poolMax);
  await migrateLatest(db);
  return {
    url,
    adminUrl,
    name,
    db,
    server: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
    async close() {
      await db.destroy();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
      await stopServer();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

export function printTable(rows: Array<Record<string, string | number>>): void {
  const cols = Object.keys(rows[0] ?? {});
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (vals: string[]) => `| ${vals.map((v, i) => v.padEnd(width[i]!)).join(' | ')} |`;
  console.log(line(cols));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(cols.map((c) => String(r[c]))));
}
