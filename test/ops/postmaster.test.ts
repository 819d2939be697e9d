// What the embedded database's start takes for "a PostgreSQL left running on this data directory", against
// real lock files and real processes (no database): a missing or broken postmaster.pid, or one naming a live
// process that is not a postgres for this directory (a pid reused after a crash), is no server; a server that
// stops on SIGINT is stopped, one already gone is fine, and one that ignores it is reported with what to do.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {
  readPostmasterPid,
  runningPostmaster,
  stopPostmaster,
  waitUntilGone,
} from '../../src/db/postmaster.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postmaster-test-'));
const children: ChildProcess[] = [];
test.after.always(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A long-lived node process whose command line reads `args` (as a postgres's names its data directory). */
async function processWith(args: string[], o: { ignoreSigint?: boolean } = {}) {
  const code = `${o.ignoreSigint ? "process.on('SIGINT', () => {});" : ''} setInterval(() => {}, 1000); process.send('up');`;
  const child = spawn(process.execPath, ['-e', code, ...args], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  children.push(child);
  await new Promise((resolve) => child.once('message', resolve));
  child.disconnect();
  return child;
}

const lockFile = (lines: Array<string | number>) =>
  fs.writeFileSync(path.join(dataDir, 'postmaster.pid'), lines.join('\n'));

test.serial('a missing or broken lock file names no server', (t) => {
  t.is(readPostmasterPid(dataDir), undefined, 'no postmaster.pid');
  lockFile(['not a pid']);
  t.is(readPostmasterPid(dataDir), undefined);
  lockFile(['-4', dataDir]);
  t.is(readPostmasterPid(dataDir), undefined);
  lockFile([4242]); // cut short: the pid alone
  t.like(readPostmasterPid(dataDir), { pid: 4242, socketDir: '', status: '' });
  t.true(Number.isNaN(readPostmasterPid(dataDir)?.port));
  t.is(runningPostmaster(dataDir), undefined);
});

test.serial(
  'a live process that is not a postgres for this directory is not taken for the server',
  async (t) => {
    const other = await processWith(['postgres', '-D', '/somewhere/else']);
    lockFile([other.pid!, dataDir, 0, 5432, '/tmp', '127.0.0.1', 0, 'ready']);
    t.is(readPostmasterPid(dataDir)?.status, 'ready');
    t.is(runningPostmaster(dataDir), undefined, 'another data directory');
    const unrelated = await processWith(['a-pid-reused-after-a-crash']);
    lockFile([unrelated.pid!, dataDir, 0, 5432, '', '127.0.0.1', 0, 'ready']);
    t.is(runningPostmaster(dataDir), undefined, 'not a postgres');
    other.kill('SIGKILL');
    unrelated.kill('SIGKILL');
  },
);

test.serial(
  'a server left running is found and stopped with SIGINT; one already gone is no error',
  async (t) => {
    const server = await processWith(['postgres', '-D', dataDir]);
    lockFile([server.pid!, dataDir, 0, 5544, '/tmp/sock', '127.0.0.1', 0, 'ready']);
    t.like(runningPostmaster(dataDir), {
      pid: server.pid,
      port: 5544,
      socketDir: '/tmp/sock',
      status: 'ready',
      ppid: process.pid,
    });
    const exited = new Promise((resolve) => server.once('exit', (_code, signal) => resolve(signal)));
    await stopPostmaster(server.pid!, dataDir, 10_000);
    t.is(await exited, 'SIGINT');
    t.is(runningPostmaster(dataDir), undefined, 'gone');
    await t.notThrowsAsync(stopPostmaster(server.pid!, dataDir), 'already stopped');
  },
);

test.serial('a server that does not stop in time is reported with the command to stop it', async (t) => {
  const stubborn = await processWith(['postgres', '-D', dataDir], { ignoreSigint: true });
  const err = await t.throwsAsync(stopPostmaster(stubborn.pid!, dataDir, 300));
  t.is(
    err?.message,
    `the PostgreSQL (pid ${stubborn.pid}) on ${dataDir} did not stop within 0.3 s of a fast shutdown; ` +
      `stop it (kill -INT ${stubborn.pid}) and start again`,
  );
  stubborn.kill('SIGKILL');
  t.true(await waitUntilGone(stubborn.pid!, 10_000));
});
