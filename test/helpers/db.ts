// A private database per test file, cloned from the migrated template that npm test prepared.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../../src/db/knex.js';
import { withDatabase } from './template.js';

/** DATA_KEY in tests: seals contacts and message recipients (TEST_SECRETS.dataKey in app.ts is this key). */
export const TEST_DATA_KEY = Buffer.alloc(32, 3);

export interface TestDatabase {
  db: Db;
  url: string;
  name: string;
  drop(): Promise<void>;
}

function settings() {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (!adminUrl || !template)
    throw new Error('Run tests with `npm test`: it prepares the database template.');
  return { adminUrl, template };
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: settings().adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(poolMax = 10, poolWaitMs?: number): Promise<TestDatabase> {
  const { adminUrl, template } = settings();
  const name = `${template}_f${randomBytes(5).toString('hex')}`;
  // CREATE DATABASE ... TEMPLATE needs the template to have no other sessions; retry briefly if one is cloning.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (err) {
      if (attempt > 50 || !/being accessed by other users/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
  const url = withDatabase(adminUrl, name);
  const db = createDb(url, poolMax, poolWaitMs);
  return {
    db,
    url,
    name,
    async drop() {
      await db.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
