// The draw's jobs on the graphile-worker queue (src/commands/drawJobs.ts runs them).
import type { Db, Trx } from '../knex.js';

export const FREEZE_TASK = 'draw_freeze_roster';
export const DRAW_TASK = 'draw_run';
export const FANOUT_TASK = 'draw_results_fanout';

// unsafe_dedupe: while a campaign's job is queued or running, enqueueing it again adds nothing.
async function addJob(db: Db | Trx, task: string, campaignId: string, key: string): Promise<void> {
  await db.raw(
    `SELECT graphile_worker.add_job(?, json_build_object('campaign_id', ?::text), job_key := ?,
       job_key_mode := 'unsafe_dedupe', max_attempts := 25)`,
    [task, campaignId, key],
  );
}

/** In the close's transaction: the roster is frozen by the worker once the close commits. */
export function enqueueRosterFreeze(trx: Trx, campaignId: string): Promise<void> {
  return addJob(trx, FREEZE_TASK, campaignId, `draw-freeze:${campaignId}`);
}

/** The draw of a closed campaign whose time has come and whose beacon is recorded. */
export function enqueueDraw(db: Db, campaignId: string): Promise<void> {
  return addJob(db, DRAW_TASK, campaignId, `draw-run:${campaignId}`);
}

/** In the draw's transaction: one job sends every result notice once the draw commits (resultFanout.ts). */
export async function enqueueResultFanout(trx: Trx, campaignId: string): Promise<void> {
  await trx.raw(
    `SELECT graphile_worker.add_job(?, json_build_object('campaign_id', ?::text), job_key := ?, max_attempts := 25)`,
    [FANOUT_TASK, campaignId, `draw-fanout:${campaignId}`],
  );
}
