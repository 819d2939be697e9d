// What /proc says of processes on this host, for the benches' CPU accounting: CPU seconds used, the seconds a
// process's threads spent runnable but waiting for a core (schedstat), and the CPU of the PostgreSQL backends
// serving one database. NaN where /proc has nothing to say (another host's server, a process gone).
import fs from 'node:fs';

const CLK_TCK = 100;

/** CPU seconds a process has used (user + system). */
export function cpuOf(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/** A process's live children (one level). */
export function childrenOf(pid: number | undefined): number[] {
  try {
    const list = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1');
    return list.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Seconds the process's threads have been runnable but not running (waiting behind other work for a core). */
export function runQueueWaitOf(pid: number | undefined): number {
  try {
    let ns = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ')[1]);
    }
    return ns / 1e9;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of the PostgreSQL backends now connected to `database` on this host (NaN if none is seen), but `except`. */
export function backendsCpuOf(database: string, except: readonly number[] = []): number {
  let total = 0;
  let seen = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || except.includes(Number(pid))) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (!cmd.startsWith('postgres: ') || !cmd.includes(` ${database} `)) continue;
      const cpu = cpuOf(Number(pid));
      if (Number.isNaN(cpu)) continue;
      total += cpu;
      seen++;
    } catch {
      // the process ended meanwhile
    }
  }
  return seen ? total : Number.NaN;
}

/** CPU seconds of this process's children that have ended and been waited for (cutime + cstime). */
export function endedChildrenCpu(): number {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds every process on this host has used since boot (/proc/stat: all but idle and iowait), for what others took. */
export function machineCpu(): number {
  try {
    const f = fs
      .readFileSync('/proc/stat', 'latin1')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    // user nice system idle iowait irq softirq (steal is the hypervisor's; guest time is in user already)
    return ((f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0)) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}
