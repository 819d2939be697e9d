// The job that tells a cancelled campaign's applicants (src/commands/tellApplicantsOfCancel.ts runs it).
import type { Trx } from '../knex.js';

export const CANCEL_NOTICES_TASK = 'campaign_cancel_notices';

/** In the cancel's transaction: the notices are written by the worker once the cancel commits. */
export async function enqueueCancelNotices(trx: Trx, campaignId: string): Promise<void> {
  await trx.raw(
    `SELECT graphile_worker.add_job(?, json_build_object('campaign_id', ?::text), job_key := ?, max_attempts := 25)`,
    [CANCEL_NOTICES_TASK, campaignId, `cancel-notices:${campaignId}`],
  );
}
