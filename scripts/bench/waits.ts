// What the database's busy sessions are doing, sampled: every few milliseconds until stopped, the active
// sessions of the bench database by wait event and statement, so a bench can say what its time went on
// (a lock queue shows as many samples of one lock behind one statement; CPU shows as no wait event).
import pg from 'pg';

export interface WaitSampler {
  /** the sampler's own backend, an instrument: a bench leaves its CPU out of the database's figures */
  pid: number;
  /** stops sampling; the top `n` (wait, statement) pairs by the sessions found in them on average */
  stop(n?: number): Promise<Array<{ sessions: string; wait: string; statement: string }>>;
}

export async function sampleWaits(url: string, everyMs = 10): Promise<WaitSampler> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const tally = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await client.query(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'running') AS wait,
                regexp_replace(left(query, 60), '\\s+', ' ', 'g') AS statement
           FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
      );
      samples++;
      for (const r of rows) {
        const key = `${r.wait}\t${r.statement}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    pid,
    async stop(n = 8) {
      stopped = true;
      await loop;
      await client.end();
      return [...tally.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([key, count]) => {
          const [wait, statement] = key.split('\t') as [string, string];
          return { sessions: (count / Math.max(1, samples)).toFixed(2), wait, statement };
        });
    },
  };
}
