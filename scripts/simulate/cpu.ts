// CPU readings over a simulation: this process (the simulated clients), the service's process and the PostgreSQL
// backends serving the simulation's database (from /proc, when the server runs on this host), every 100 ms, so
// the sell-out's window can be read off afterwards. On a shared 2-core machine wall time moves with everyone's
// load, CPU time much less: the report gives CPU per order for the service and for the database.
import fs from 'node:fs';
import os from 'node:os';
import type { Db } from '../../src/db/knex.js';

const CLK_TCK = 100;

// Each /proc/<pid>/stat is opened once and read again from its start (one pread, not open, stat, read and close ten
// times a second for every backend: that was a tenth of the simulator's CPU in its profile).
const statFiles = new Map<number, number>();
const statBuffer = Buffer.alloc(1024);

/** Another process's CPU seconds from /proc (Linux); undefined elsewhere or once it has gone. */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    let fd = statFiles.get(pid);
    if (fd === undefined) {
      fd = fs.openSync(`/proc/${pid}/stat`, 'r');
      statFiles.set(pid, fd);
    }
    const n = fs.readSync(fd, statBuffer, 0, statBuffer.length, 0);
    if (n === 0) throw new Error('gone');
    const stat = statBuffer.toString('latin1', 0, n);
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime + stime
  } catch {
    const fd = statFiles.get(pid);
    if (fd !== undefined) fs.closeSync(fd);
    statFiles.delete(pid);
    return undefined;
  }
}

export interface CpuReading {
  /** ms since the simulation started */
  at: number;
  simulator: number;
  service: number | null;
  /** all backends of the simulation's database seen so far (one that ended keeps its last reading) */
  postgres: number | null;
  load: number;
}

/** `servicePids`: the service's web processes, their CPU summed (a process gone counts nothing from then on). */
export function cpuReadings(servicePids: number[], db: Db, now: () => number) {
  const readings: CpuReading[] = [];
  const backends = new Map<number, number>();
  // A backend that ended keeps its last reading and is not read again (a failed read throws: costly ten times a
  // second for every connection a run ever had, in the process whose CPU is the simulated clients').
  const ended = new Map<number, number>();
  let remote = false;
  const lookUp = async () => {
    const { rows } = await db.raw(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    for (const { pid } of rows as Array<{ pid: number }>) {
      if (backends.has(pid) || ended.has(pid)) continue;
      const s = cpuSecondsOf(pid);
      if (s === undefined)
        remote = true; // a server on another host: nothing to read
      else backends.set(pid, s);
    }
  };
  const lastOfService = new Map<number, number>();
  const serviceSeconds = () => {
    let total: number | null = null; // none readable (no /proc): unknown, not 0
    for (const pid of servicePids) {
      const s = cpuSecondsOf(pid) ?? lastOfService.get(pid);
      if (s === undefined) continue;
      lastOfService.set(pid, s);
      total = (total ?? 0) + s;
    }
    return total;
  };
  const read = () => {
    let pg = 0;
    for (const s of ended.values()) pg += s;
    for (const [pid, last] of backends) {
      const s = cpuSecondsOf(pid);
      if (s === undefined) {
        backends.delete(pid);
        ended.set(pid, last);
        pg += last;
        continue;
      }
      backends.set(pid, s);
      pg += s;
    }
    const self = process.cpuUsage();
    readings.push({
      at: now(),
      simulator: (self.user + self.system) / 1e6,
      service: serviceSeconds(),
      postgres: remote ? null : pg,
      load: os.loadavg()[0]!,
    });
  };
  let ticks = 0;
  const timer = setInterval(() => {
    // new pool connections are looked up once a second; a reading every 100 ms
    if (ticks++ % 10 === 0) void lookUp().catch(() => {});
    read();
  }, 100);
  return {
    readings,
    stop() {
      clearInterval(timer);
      read();
    },
    /** the reading nearest after `at` (ms since start), or the last one */
    at: (at: number) => readings.find((r) => r.at >= at) ?? readings.at(-1)!,
  };
}
