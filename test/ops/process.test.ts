// The real service process: starts against a database, serves, and stops cleanly on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let database: TestDatabase;
test.before(async () => {
  database = await createTestDatabase();
});
test.after.always(async () => {
  await database?.drop();
});

function start(
  env: Record<string, string>,
  base: NodeJS.ProcessEnv = process.env,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...base,
        PORT: '0',
        RUN_WORKER: 'false',
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fa-proc-')),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`did not start:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(/"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"listening"/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}:\n${out}`));
    });
  });
}

test('serves on loopback and shuts down gracefully on SIGTERM', async (t) => {
  const { child, url, output } = await start({ DATABASE_URL: database.url, DEMO_DATA: 'false' });
  t.true(url.startsWith('http://127.0.0.1:'));
  t.is((await fetch(`${url}/readyz`)).status, 200);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM');
  t.is(await exited, 0);
  t.regex(output(), /"msg":"stopped"/);
  await t.throwsAsync(fetch(`${url}/healthz`));
});

test('on the embedded database, with the worker running, SIGTERM still stops cleanly and stops the database', async (t) => {
  // No DATABASE_URL: npm start's own PostgreSQL, which its library also tries to stop on the same signal.
  const { DATABASE_URL: _unused, ...withoutDatabase } = process.env;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fa-proc-embedded-'));
  // as a newcomer runs it: a fresh data folder, the demo loaded, the worker and the reconciler running
  const { child, url, output } = await start({ RUN_WORKER: 'true', DATA_DIR: dataDir }, withoutDatabase);
  t.is((await fetch(`${url}/readyz`)).status, 200);
  t.is((await fetch(`${url}/campaigns`)).status, 200);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM');
  t.is(await exited, 0, output().slice(-2000));
  t.regex(output(), /"msg":"stopped"/);
  t.notRegex(output(), /terminating connection|Unhandled 'error'/);
  t.false(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), 'the embedded server stopped too');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('an invalid configuration stops the process with the variable name', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
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
