// Shared start-up for command-line tools: configuration, the database (embedded when DATABASE_URL is unset), migrations.
import { systemClock } from '../src/clock.js';
import { type Config, loadConfigOrExit } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createDb, type Db } from '../src/db/knex.js';

export async function withDatabase<T>(fn: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfigOrExit();
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const db = createDb(database.url, 2);
  try {
    return await fn(db, config);
  } finally {
    await db.destroy();
    await database.stop();
  }
}

export const clock = systemClock;

export function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}
