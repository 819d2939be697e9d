// A PostgreSQL server already running on a data directory: who runs it (postmaster.pid), whether the process
// that started it is still its parent, and stopping one that an earlier, killed run left behind.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Postmaster {
  pid: number;
  port: number;
  /** the Unix socket directory, '' when it listens on TCP only */
  socketDir: string;
  /** 'ready' once it accepts connections ('starting', 'stopping', ...) */
  status: string;
}

/** postmaster.pid's lines: pid, data dir, start time, port, socket dir, listen address, shm key, status. */
export function readPostmasterPid(dataDir: string): Postmaster | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return {
    pid,
    port: Number(lines[3]),
    socketDir: (lines[4] ?? '').trim(),
    status: (lines[7] ?? '').trim(),
  };
}

export interface ProcessInfo {
  ppid: number;
  command: string;
}

/** The live process with this pid, or undefined when there is none (a zombie counts as gone). */
export function processInfo(pid: number): ProcessInfo | undefined {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else (a root-started server seen by another user)
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state, ppid, ...
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return { ppid: Number(fields[1]), command };
  } catch {
    // no /proc (macOS): ask ps
    try {
      const out = execFileSync('ps', ['-o', 'stat=,ppid=,command=', '-p', String(pid)], { encoding: 'utf8' });
      const m = out.trim().match(/^(\S+)\s+(\d+)\s+(.*)$/);
      if (!m || m[1]!.startsWith('Z')) return undefined;
      return { ppid: Number(m[2]), command: m[3]! };
    } catch {
      return undefined;
    }
  }
}

/** The postmaster running on `dataDir`, if the pid in its lock file is really a postgres for that directory. */
export function runningPostmaster(dataDir: string): (Postmaster & ProcessInfo) | undefined {
  const pm = readPostmasterPid(dataDir);
  if (!pm) return undefined;
  const proc = processInfo(pm.pid);
  if (!proc || !/postgres/.test(proc.command) || !proc.command.includes(dataDir)) return undefined;
  return { ...pm, ...proc };
}

export async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processInfo(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * Stops a postmaster with a fast shutdown (SIGINT: open sessions are ended, committed work is on disk, the
 * next start needs no recovery) and waits until it has exited. Throws saying which server and what to do.
 */
export async function stopPostmaster(pid: number, dataDir: string, timeoutMs = 30_000): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return;
    throw new Error(
      `cannot stop the PostgreSQL (pid ${pid}) still running on ${dataDir}: ${(err as Error).message}; ` +
        `stop it as its owner (kill -INT ${pid})`,
    );
  }
  if (!(await waitUntilGone(pid, timeoutMs)))
    throw new Error(
      `the PostgreSQL (pid ${pid}) on ${dataDir} did not stop within ${timeoutMs / 1000} s of a fast ` +
        `shutdown; stop it (kill -INT ${pid}) and start again`,
    );
}
