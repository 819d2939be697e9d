// The real service process: starts against a database, serves, and stops cleanly on SIGTERM.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { entryArgs } from '../helpers/runScript.js';
import {
  embeddedEnv,
  failureReport,
  PROCESS_TEST_MS,
  startService,
  tempDataDir,
} from '../helpers/serviceProcess.js';

let database: TestDatabase;
test.before(async () => {
  database = await createTestDatabase();
});
test.after.always(async () => {
  await database?.drop();
});

test('serves on loopback and shuts down gracefully on SIGTERM', async (t) => {
  t.timeout(PROCESS_TEST_MS); // a busy machine starts processes slowly
  const { child, url, output } = await startService({
    ...process.env,
    DATA_DIR: tempDataDir('proc', t),
    DATABASE_URL: database.url,
    DEMO_DATA: 'false',
  });
  t.true(url.startsWith('http://127.0.0.1:'));
  t.is((await fetch(`${url}/readyz`)).status, 200);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM');
  t.is(await exited, 0);
  t.regex(output(), /"msg":"stopped"/);
  await t.throwsAsync(fetch(`${url}/healthz`));
});

test('on the embedded database, with the worker running, SIGTERM still stops cleanly and stops the database', async (t) => {
  t.timeout(PROCESS_TEST_MS); // a busy machine starts processes slowly
  // No DATABASE_URL: npm start's own PostgreSQL, stopped by us after everything that uses it.
  const dataDir = tempDataDir('proc-embedded', t);
  // as a newcomer runs it: a fresh data folder, the demo loaded, the worker and the reconciler running
  const { child, url, output } = await startService({
    ...embeddedEnv(dataDir),
    RUN_WORKER: 'true',
    DEMO_DATA: 'true',
  });
  t.is((await fetch(`${url}/readyz`)).status, 200);
  t.is((await fetch(`${url}/campaigns`)).status, 200);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM');
  t.is(await exited, 0, failureReport(output()));
  t.regex(output(), /"msg":"stopped"/);
  t.notRegex(output(), /terminating connection|Unhandled 'error'/);
  t.false(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), 'the embedded server stopped too');
});

test('an invalid configuration stops the process with the variable name', async (t) => {
  t.timeout(PROCESS_TEST_MS); // a busy machine starts processes slowly
  const child = spawn(process.execPath, entryArgs('src/main.ts'), {
    env: { ...process.env, PORT: 'not-a-port', DATABASE_URL: database.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  t.is(code, 1);
  t.regex(err, /PORT/);
});

test('kill -TERM to the npm process reaches the service (npm start execs node), which stops gracefully', async (t) => {
  t.timeout(PROCESS_TEST_MS); // a busy machine starts processes slowly
  const npm = spawn('npm', ['start'], {
    env: { ...process.env, PORT: '0', RUN_WORKER: 'false', DATABASE_URL: database.url, DEMO_DATA: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service = await startService({}, undefined, npm);
  const node = execFileSync('ps', ['-o', 'pid=', '--ppid', String(npm.pid)], { encoding: 'utf8' }).trim();
  t.regex(node, /^\d+$/, 'node is npm’s own child, no shell in between');
  npm.kill('SIGTERM');
  t.is((await service.exited).code, 0);
  t.regex(service.output(), /"msg":"stopped"/);
  t.throws(() => process.kill(Number(node), 0), { code: 'ESRCH' }, 'node is gone with npm');
});
