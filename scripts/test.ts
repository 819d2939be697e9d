// npm test: a PostgreSQL (DATABASE_URL, or a throwaway embedded one), a migrated template database, the suite
// transpiled to build/ (scripts/build-tests.ts), then ava on it.
// Each test file clones the template (test/helpers/db.ts), so files run in parallel without sharing rows.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { createDb } from '../src/db/knex.js';
import { migrateAll } from '../src/db/migrate.js';
import { chromiumPath } from '../test/helpers/chromium.js';
import { prepareTemplate } from '../test/helpers/template.js';
import { buildTests } from './build-tests.js';

const args = process.argv.slice(2);
const started = Date.now();

async function main(): Promise<number> {
  let adminUrl = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!adminUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fa-test-'));
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), persistent: false });
    adminUrl = embedded.url;
    stop = async () => {
      await embedded.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
    console.log(`npm test: started a throwaway PostgreSQL (set DATABASE_URL to use your own)`);
  }
  const template = `fa_template_${process.pid}`;
  try {
    await prepareTemplate(adminUrl, template, async (url) => {
      const db = createDb(url, 2);
      try {
        await migrateAll(db, url);
      } finally {
        await db.destroy();
      }
    });

    await buildTests();
    const browser = chromiumPath();
    if (!browser) {
      console.warn(
        '\n!!! BROWSER TESTS WILL NOT RUN: no Chromium found at /usr/bin/chromium (or CHROMIUM_PATH).\n' +
          '!!! Install it with `apt-get install -y chromium` to run them; every other test runs.\n',
      );
    }
    const env = { ...process.env, TEST_ADMIN_DATABASE_URL: adminUrl, TEST_TEMPLATE_DATABASE: template };
    const ava = path.resolve('node_modules/ava/entrypoints/cli.mjs');
    return await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [ava, ...args], { stdio: ['inherit', 'pipe', 'inherit'], env });
      // Pass ava's output through, and keep its tail to print one plain "N passed, N failed" line.
      let tail = '';
      let ticks = 0; // ava's summary omits the passed count when something failed; count the ✔ lines instead
      child.stdout.on('data', (chunk: Buffer) => {
        process.stdout.write(chunk);
        ticks += chunk.toString().match(/^\s*✔/gm)?.length ?? 0;
        tail = (tail + chunk.toString()).slice(-4000);
      });
      child.on('exit', (code) => {
        const count = (what: string) => Number(tail.match(new RegExp(`(\\d+) tests? ${what}`))?.[1] ?? 0);
        console.log(
          `\n${count('passed') || ticks} passed, ${count('failed')} failed, ${count('skipped')} skipped`,
        );
        resolve(code ?? 1);
      });
    });
  } finally {
    await dropTestDatabases(adminUrl, template).catch((err) => console.error('cleanup failed:', err));
    await stop();
  }
}

async function dropTestDatabases(adminUrl: string, template: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
      [template, `${template}_f%`],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

main().then(
  (code) => {
    console.log(`npm test finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.exit(code);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
