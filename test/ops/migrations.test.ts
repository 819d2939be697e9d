// `npm run migrate:rollback` takes a database holding data (a drawn campaign, applications, messages, the
// audit log) down to nothing, and `npm run migrate` brings it back up to a schema the service works on.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { fanOutResults } from '../../src/commands/resultFanout.js';
import { drawnLottery } from '../draw/_scenario.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { buildVoucherCampaign } from '../helpers/factories.js';
import { entryArgs } from '../helpers/runScript.js';

const run = promisify(execFile);
let app: TestApp;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fa-migrate-'));
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// The script `npm run migrate` and `npm run migrate:rollback` run, without npm's own start-up.
const migrate = (command: 'latest' | 'rollback') =>
  run(process.execPath, [...entryArgs('scripts/migrate.ts'), command], {
    env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: app.database.url, DATA_DIR: dataDir },
  });

const ourTables = async () =>
  (
    await app.db.raw(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public'
        AND tablename NOT IN ('knex_migrations', 'knex_migrations_lock') ORDER BY 1`,
    )
  ).rows.map((r: { tablename: string }) => r.tablename);

test.serial('rolled back to nothing and migrated up again, on a database with data', async (t) => {
  t.timeout(240_000); // two child processes of the whole migration set, on a loaded machine
  const { s, env } = await drawnLottery(app, { kind: 'goods' });
  await fanOutResults(env, s.campaignId);
  const count = async (table: string) => Number((await app.db(table).count('* as n'))[0]!.n);
  for (const table of ['campaigns', 'applications', 'roster_entries', 'awards', 'messages', 'audit_log'])
    t.true((await count(table)) > 0, `${table} holds rows`);
  const migrations = Number((await app.db('knex_migrations').count('* as n'))[0]!.n);
  t.true(migrations > 10);

  // Each rollback undoes the last batch; repeat until there is nothing left to undo.
  let rolledBack = 0;
  const left = async () => Number((await app.db('knex_migrations').count('* as n'))[0]!.n);
  for (let i = 0; i < migrations && (await left()) > 0; i++) {
    const { stdout } = await migrate('rollback');
    rolledBack += stdout.split('\n').filter((l) => /^\s+\d{14}_/.test(l)).length;
  }
  t.is(rolledBack, migrations, 'every migration was rolled back');
  t.deepEqual(await ourTables(), [], 'no table of ours is left');
  t.is(Number((await app.db('knex_migrations').count('* as n'))[0]!.n), 0);
  const types = await app.db.raw(
    `SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' AND t.typtype = 'e'`,
  );
  t.deepEqual(types.rows, [], 'no enum type of ours is left');

  const up = await migrate('latest');
  t.is(up.stdout.split('\n').filter((l) => /^\s+\d{14}_/.test(l)).length, migrations);
  t.true((await ourTables()).includes('awards'));
  // The schema works again: an admin creates a campaign through the API.
  const admin = await app.staff('admin');
  const created = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: buildVoucherCampaign(app.clock.now()),
  });
  t.is(created.status, 201, created.text);
});
