// Queries on messages and their graphile-worker jobs, one named function each.
import type { Knex } from 'knex';

export const SEND_TASK = 'send_message';
/** graphile-worker's own retry is only a safety net for crashes and bugs; provider errors are retried by us. */
export const JOB_MAX_ATTEMPTS = 10;

export function jobKeyFor(messageId: string): string {
  return `message:${messageId}`;
}

/** Adds (or, when one is waiting, replaces) the job that sends a message; runs in the caller's transaction. */
export async function addSendJob(
  db: Knex | Knex.Transaction,
  messageId: string,
  runAt?: Date,
): Promise<void> {
  await db.raw(
    `SELECT graphile_worker.add_job(?, json_build_object('id', ?::text), run_at := ?::timestamptz,
                                    max_attempts := ?, job_key := ?)`,
    [SEND_TASK, messageId, runAt ?? null, JOB_MAX_ATTEMPTS, jobKeyFor(messageId)],
  );
}
