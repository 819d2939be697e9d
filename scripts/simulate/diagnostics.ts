// Where a simulation's sell-out went, when asked: BENCH_PG_STATEMENTS=1 reads pg_stat_statements from opening
// once a second (the reading nearest the sell-out is kept, statements by time, and the last one as
// pg-statements-end.json: the difference is what the payments after the sell-out cost), and SIM_PROFILE_DIR's service
// profile is given the sell-out's window as profile-summary.ts options (its samples carry no wall clock), and
// SIM_SAMPLES=1 keeps every request (when answered, how long it took, its status and kind) as samples.json: when a
// phase of the run was slow, the requests sent in it and what they waited.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/db/knex.js';
import type { Sample, Speed } from './client.js';

/** samples.json: what writeSamples writes and scripts/simulate/timeline.ts reads. */
export interface SamplesFile {
  /** ms since the run started, as every sample's `at` */
  opens_at: number;
  /** each resident's speed class, by index (a sample's `who`) */
  speeds: readonly Speed[];
  samples: readonly Sample[];
}

/** samples.json, when SIM_SAMPLES is set; its path. */
export function writeSamples(outDir: string, run: SamplesFile): string | undefined {
  if (!process.env.SIM_SAMPLES) return undefined;
  const file = path.join(outDir, 'samples.json');
  fs.writeFileSync(file, JSON.stringify(run));
  return file;
}

interface Statement {
  query: string;
  calls: number;
  total_ms: number;
  rows: number;
  wal_bytes: number;
}

export function statementReadings(db: Db, opensAt: number) {
  if (!process.env.BENCH_PG_STATEMENTS) return undefined;
  const readings: Array<{ at: number; statements: Statement[] }> = [];
  // what the run's backends are doing, sampled every 50 ms: waits (locks, the log's flush) next to the work
  const waits = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let sampler: NodeJS.Timeout | undefined;
  const sample = async () => {
    const { rows } = await db.raw(
      `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS w, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS q
       FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
    );
    for (const r of rows as Array<{ w: string; q: string }>)
      waits.set(`${r.w} | ${r.q}`, (waits.get(`${r.w} | ${r.q}`) ?? 0) + 1);
  };
  const read = async () => {
    const { rows } = await db.raw(
      `SELECT query, calls::int, round(total_exec_time::numeric, 1)::float AS total_ms, rows::int,
              wal_bytes::float AS wal_bytes
       FROM pg_stat_statements JOIN pg_database d ON d.oid = dbid
       WHERE d.datname = current_database() ORDER BY total_exec_time DESC LIMIT 60`,
    );
    readings.push({ at: Date.now(), statements: rows as Statement[] });
  };
  const started = (async () => {
    await db.raw('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await new Promise((r) => setTimeout(r, Math.max(0, opensAt - Date.now())));
    await db.raw('SELECT pg_stat_statements_reset()');
    timer = setInterval(() => void read().catch(() => {}), 1000);
    sampler = setInterval(() => void sample().catch(() => {}), 50);
  })();
  return {
    async stop(soldOutAt: number | null, outDir: string) {
      await started;
      clearInterval(timer);
      clearInterval(sampler);
      const at = soldOutAt ?? Date.now();
      const nearest = readings.find((r) => r.at >= at) ?? readings.at(-1);
      const file = path.join(outDir, 'pg-statements.json');
      fs.writeFileSync(
        file,
        JSON.stringify(
          {
            read_ms_after_sell_out: nearest ? nearest.at - at : null,
            active_samples_from_opening: [...waits].sort((a, b) => b[1] - a[1]).slice(0, 40),
            ...nearest,
          },
          null,
          1,
        ),
      );
      const last = readings.at(-1);
      if (last) fs.writeFileSync(path.join(outDir, 'pg-statements-end.json'), JSON.stringify(last, null, 1));
      return file;
    },
  };
}

/** profile-summary.ts options for the sell-out's window, from when the service stopped (the profile's end). */
export function profileWindow(opensAt: number, soldOutAt: number | null, stoppedAt: number): string {
  const end = soldOutAt ?? stoppedAt;
  return `--last ${((stoppedAt - opensAt) / 1000).toFixed(1)} --skip-last ${((stoppedAt - end) / 1000).toFixed(1)}`;
}

/**
 * The kernel's count of connections dropped because a listening socket's accept queue was full (TcpExt
 * ListenOverflows: machine-wide, since boot); null where /proc/net/netstat is not. A dropped phone tries again a
 * second later, so overflows during an opening are seconds added to some buyers, not visible in the service.
 */
export function listenOverflows(): number | null {
  try {
    return listenOverflowsIn(fs.readFileSync('/proc/net/netstat', 'utf8'));
  } catch {
    return null;
  }
}

/** ListenOverflows from /proc/net/netstat's text: a line of TcpExt names, then a line of their values. */
export function listenOverflowsIn(netstat: string): number | null {
  const lines = netstat.split('\n');
  const i = lines.findIndex((l) => l.startsWith('TcpExt:'));
  if (i < 0 || !lines[i + 1]?.startsWith('TcpExt:')) return null;
  const at = lines[i]!.trim().split(/\s+/).indexOf('ListenOverflows');
  const value = Number(lines[i + 1]!.trim().split(/\s+/)[at]);
  return at < 0 || !Number.isInteger(value) ? null : value;
}
