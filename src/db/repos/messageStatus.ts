// A message on its way: claimed for sending, sent, retried or failed, then moved forward by the provider's
// status callbacks, never backwards.
import type { Knex } from 'knex';
import { addSendJob, jobKeySql } from './messages.js';

/**
 * Our statuses in the only order they may move: a callback never takes a message backwards. Cancelled is reached
 * only from queued (cancelQueued: never sent), and is an end.
 */
export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
  'undelivered',
  'cancelled',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
const RANK_SQL = (col: string) =>
  `(CASE ${col} WHEN 'queued' THEN 0 WHEN 'sending' THEN 1 WHEN 'sent' THEN 2 ELSE 3 END)`;

export interface ClaimedMessage {
  id: string;
  channel: 'sms' | 'email';
  to_enc: string | null;
  subject: string | null;
  body: string;
  html: string | null;
  sealed: boolean;
  lang: 'ko' | 'en';
  attempts: number;
  /** set when an earlier attempt died mid-call or timed out: the provider may already have the message */
  in_doubt_since: Date | null;
}

/**
 * Marks a message 'sending' and counts the attempt, committed before the provider is called. Returns
 * nothing when there is nothing to send (already sent, failed for good, or gone).
 */
export async function claimForSending(
  db: Knex,
  id: string,
  provider: string,
): Promise<ClaimedMessage | undefined> {
  return (await claimManyForSending(db, [id], provider))[0];
}

/**
 * claimForSending for many messages in one statement; the answer is in the order of `ids` (undefined
 * where there is nothing to send). Rows are locked in id order so that concurrent claims cannot deadlock.
 */
export async function claimManyForSending(
  db: Knex,
  ids: readonly string[],
  provider: string,
): Promise<Array<ClaimedMessage | undefined>> {
  const { rows } = await db.raw<{ rows: ClaimedMessage[] }>(
    `WITH prev AS (SELECT id, status, sending_at FROM messages WHERE id = ANY(?::uuid[]) ORDER BY id FOR UPDATE)
     UPDATE messages m
        SET status = 'sending', attempts = m.attempts + 1, sending_at = now(), updated_at = now(), provider = ?,
            -- still 'sending' here means the attempt that marked it never came back
            in_doubt_since = coalesce(m.in_doubt_since, CASE WHEN prev.status = 'sending' THEN prev.sending_at END)
       FROM prev
      WHERE m.id = prev.id AND prev.status IN ('queued', 'sending')
     RETURNING m.id, m.channel, m.to_enc, m.subject, m.body, m.html, m.sealed, m.lang, m.attempts, m.in_doubt_since`,
    [[...ids], provider],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id));
}

/**
 * The provider accepted it. Status callbacks that raced ahead of this (stored unattached) are claimed in
 * the same statement and applied. One round trip, not a transaction of four: at 1,000 messages/s the
 * transaction version cost about a third of the worker's time.
 */
export async function markSent(db: Knex, id: string, provider: string, providerId: string): Promise<void> {
  await markManySent(db, provider, [{ id, providerId }]);
}

/** markSent for many messages of one provider in one statement. */
export async function markManySent(
  db: Knex,
  provider: string,
  sent: ReadonlyArray<{ id: string; providerId: string }>,
): Promise<void> {
  const { rows: early } = await db.raw<{
    rows: Array<{ message_id: string; provider_status: string; error_code: string | null }>;
  }>(
    `WITH v AS (SELECT * FROM unnest(?::uuid[], ?::text[]) AS v(id, provider_id)),
     sent AS (
       UPDATE messages m
          SET status = CASE WHEN ${RANK_SQL('m.status')} < 2 THEN 'sent' ELSE m.status END,
              provider = ?, provider_id = v.provider_id, sent_at = coalesce(m.sent_at, now()), updated_at = now(),
              error_code = NULL, error_message = NULL, next_attempt_at = NULL, in_doubt_since = NULL
         FROM v
        WHERE m.id = v.id
       RETURNING m.id, m.provider_id)
     UPDATE message_events e SET message_id = sent.id
       FROM sent
      WHERE e.provider = ? AND e.provider_id = sent.provider_id AND e.message_id IS NULL
     RETURNING e.message_id, e.provider_status, e.error_code`,
    [sent.map((s) => s.id), sent.map((s) => s.providerId), provider, provider],
  );
  for (const e of early) {
    const to = fromTwilioStatus(e.provider_status);
    if (to) await advanceStatus(db, e.message_id, to, e.error_code);
  }
}

/**
 * A temporary failure: back to 'queued' with a new job at runAt, in one transaction. `inDoubt` (a timeout,
 * a reset connection, a 5xx) keeps the note that the provider may have accepted it after all.
 */
export async function scheduleRetry(
  db: Knex,
  m: { id: string; channel: 'sms' | 'email' },
  failure: { code: string; message: string; inDoubt: boolean },
  runAt: Date,
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('messages')
      .where({ id: m.id, status: 'sending' })
      .update({
        status: 'queued',
        error_code: failure.code,
        error_message: failure.message.slice(0, 500),
        next_attempt_at: runAt,
        updated_at: trx.fn.now(),
        ...(failure.inDoubt ? { in_doubt_since: trx.raw('coalesce(in_doubt_since, sending_at)') } : {}),
      });
    await addSendJob(trx, m.id, m.channel, runAt);
  });
}

export async function markFailed(db: Knex, id: string, code: string, message: string): Promise<void> {
  await db('messages')
    .where({ id })
    .whereIn('status', ['queued', 'sending'])
    .update({
      status: 'failed',
      error_code: code,
      error_message: message.slice(0, 500),
      failed_at: db.fn.now(),
      next_attempt_at: null,
      updated_at: db.fn.now(),
    });
}

/**
 * Cancels a campaign's queued messages (of one kind, or all but some kinds), and their send jobs: they will not be sent, nor resent
 * as failed. `reason` goes in error_code. Returns how many were cancelled.
 */
export async function cancelQueued(
  db: Knex | Knex.Transaction,
  campaignId: string,
  reason: string,
  kinds: { only?: string; except?: readonly string[] } = {},
): Promise<number> {
  return cancelPicked(
    db,
    `SELECT id FROM messages
      WHERE campaign_id = :campaignId AND status = 'queued'
        AND (:only::text IS NULL OR kind = :only::text) AND NOT (kind = ANY(:except::text[]))`,
    { campaignId, only: kinds.only ?? null, except: [...(kinds.except ?? [])] },
    reason,
  );
}

/**
 * Cancels the messages `pickSql` selects (a query of messages' ids, with named bindings), and their send jobs.
 * Left alone: any not queued, one in doubt (an attempt the provider may have had: its status callbacks must still
 * find it), and one a worker's claim holds locked. Rows are locked in id order, as claims lock them, so the two
 * cannot deadlock.
 */
export async function cancelPicked(
  db: Knex | Knex.Transaction,
  pickSql: string,
  bindings: Record<string, unknown>,
  reason: string,
): Promise<number> {
  const { rows } = await db.raw<{ rows: Array<{ n: number }> }>(
    `WITH picked AS (
       SELECT id FROM messages WHERE id IN (${pickSql}) AND status = 'queued' AND in_doubt_since IS NULL
        ORDER BY id FOR UPDATE SKIP LOCKED
     ), gone AS (
       UPDATE messages m SET status = 'cancelled', error_code = :reason, next_attempt_at = NULL,
                             awaiting_job = false, updated_at = now()
         FROM picked WHERE m.id = picked.id
       RETURNING m.id
     )
     SELECT (SELECT count(*) FROM gone)::int AS n,
            (SELECT count(graphile_worker.remove_job(${jobKeySql('id')})) FROM gone) AS jobs`,
    { ...bindings, reason },
  );
  return rows[0]?.n ?? 0;
}

/** Moves a message forward only: sent -> delivered, never delivered -> sent. Returns whether it moved. */
export async function advanceStatus(
  db: Knex | Knex.Transaction,
  id: string,
  to: MessageStatus,
  errorCode: string | null,
): Promise<boolean> {
  const moved = await db.raw<{ rowCount: number }>(
    `UPDATE messages
        SET status = ?::text,
            delivered_at = CASE WHEN ?::text = 'delivered' THEN now() ELSE delivered_at END,
            failed_at = CASE WHEN ?::text IN ('failed', 'undelivered') THEN now() ELSE failed_at END,
            error_code = coalesce(?::text, error_code),
            updated_at = now()
      WHERE id = ? AND ${RANK_SQL('status')} < ${RANK_SQL('?::text')}`,
    [to, to, to, errorCode, id, to],
  );
  return moved.rowCount > 0;
}

/** Twilio's status words mapped onto ours; anything it may add later and we do not know is ignored. */
export function fromTwilioStatus(s: string): MessageStatus | undefined {
  switch (s) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return undefined;
  }
}

/**
 * Stores a status callback once per (provider, id, status) and moves the message forward. A callback
 * for a message we have not yet recorded as sent is kept unattached; markSent applies it.
 */
export async function recordStatusEvent(
  db: Knex,
  e: { provider: string; providerId: string; providerStatus: string; errorCode: string | null },
): Promise<{ duplicate: boolean; moved: boolean }> {
  return db.transaction(async (trx) => {
    const message = await trx('messages')
      .where({ provider: e.provider, provider_id: e.providerId })
      .first<{ id: string }>('id');
    const inserted = await trx.raw<{ rowCount: number }>(
      `INSERT INTO message_events (message_id, provider, provider_id, provider_status, error_code)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (provider, provider_id, provider_status) DO NOTHING`,
      [message?.id ?? null, e.provider, e.providerId, e.providerStatus, e.errorCode],
    );
    if (inserted.rowCount === 0) return { duplicate: true, moved: false };
    const to = fromTwilioStatus(e.providerStatus);
    const moved = message && to ? await advanceStatus(trx, message.id, to, e.errorCode) : false;
    return { duplicate: false, moved };
  });
}
