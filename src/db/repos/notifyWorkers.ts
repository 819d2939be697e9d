// Heartbeats of queue workers (notifications, the draw), and handing back the jobs of those that stopped beating.
import type { Knex } from 'knex';
import { SEND_TASK } from './messages.js';

export async function beatHeart(db: Knex, poolId: string, host: string, pid: number): Promise<void> {
  await db.raw(
    `INSERT INTO notify_workers (pool_id, host, pid) VALUES (?, ?, ?)
     ON CONFLICT (pool_id) DO UPDATE SET heartbeat_at = now()`,
    [poolId, host, pid],
  );
}

export async function forgetWorker(db: Knex, poolId: string): Promise<void> {
  await db('notify_workers').where({ pool_id: poolId }).delete();
}

/**
 * Unlocks jobs of `tasks` locked longer than deadAfterMs by a pool with no heartbeat as recent: such a worker was
 * killed without releasing them. Returns the pool ids that were unlocked.
 */
export async function unlockJobsOfDeadWorkers(
  db: Knex,
  deadAfterMs: number,
  tasks: readonly string[] = [SEND_TASK],
): Promise<string[]> {
  const secs = deadAfterMs / 1000;
  const { rows } = await db.raw<{ rows: Array<{ locked_by: string }> }>(
    `SELECT DISTINCT j.locked_by
       FROM graphile_worker.jobs j
      WHERE j.locked_by IS NOT NULL
        -- only the caller's tasks: a runner that keeps no heartbeat here must not be touched
        AND j.task_identifier = ANY(?::text[])
        AND j.locked_at < now() - make_interval(secs => ?)
        AND NOT EXISTS (SELECT 1 FROM notify_workers w
                         WHERE w.pool_id = j.locked_by AND w.heartbeat_at > now() - make_interval(secs => ?))`,
    [[...tasks], secs, secs],
  );
  const dead = rows.map((r) => r.locked_by);
  if (dead.length) await db.raw('SELECT graphile_worker.force_unlock_workers(?::text[])', [dead]);
  // Rows of workers gone for a day are only noise.
  await db('notify_workers').where('heartbeat_at', '<', db.raw("now() - interval '1 day'")).delete();
  return dead;
}
