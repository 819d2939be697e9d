// Queries on messages and their graphile-worker jobs, one named function each.
import type { Knex } from 'knex';

export const SEND_TASK = 'send_message';
/** graphile-worker's own retry is only a safety net for crashes and bugs; provider errors are retried by us. */
export const JOB_MAX_ATTEMPTS = 10;

export function jobKeyFor(messageId: string): string {
  return `message:${messageId}`;
}

/** A message as enqueued: rendered, its recipient sealed and masked, waiting for its send job. */
export interface NewMessage {
  dedupe_key: string;
  campaign_id: string | null;
  kind: string;
  channel: 'sms' | 'email';
  lang: 'ko' | 'en';
  template: string;
  to_enc: string;
  to_masked: string;
  subject: string | null;
  body: string;
  html: string | null;
  /** body and html are AES-256-GCM ciphertext (they hold a one-time code) */
  sealed: boolean;
  segments: number | null;
  encoding: string | null;
}

const NEW_MESSAGE_COLUMNS = [
  'dedupe_key',
  'campaign_id',
  'kind',
  'channel',
  'lang',
  'template',
  'to_enc',
  'to_masked',
  'subject',
  'body',
  'html',
  'sealed',
  'segments',
  'encoding',
] as const satisfies ReadonlyArray<keyof NewMessage>;

/**
 * The INSERT of a waiting message, for statements that write it together with the event it tells of
 * (named bindings `m_<column>`); `whenSql` limits it to when that event happened. No add_job here: its
 * NOTIFY would serialise every enqueueing commit (~430 commits/s on this disk); the relay batches jobs.
 */
export function insertMessageSql(whenSql = 'true'): string {
  return `INSERT INTO messages (${NEW_MESSAGE_COLUMNS.join(', ')}, awaiting_job)
    SELECT ${NEW_MESSAGE_COLUMNS.map((c) => `:m_${c}`).join(', ')}, true WHERE ${whenSql}
    ON CONFLICT (dedupe_key) DO NOTHING`;
}

const BINDING_NAMES = NEW_MESSAGE_COLUMNS.map((c) => [c, `m_${c}`] as const);

export function messageBindings(m: NewMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, name] of BINDING_NAMES) out[name] = m[column];
  return out;
}

/** Writes a waiting message unless one with its dedupe key exists; returns the id either way. */
export async function insertMessage(
  trx: Knex.Transaction,
  m: NewMessage,
): Promise<{ id: string; created: boolean }> {
  const { rows } = await trx.raw<{ rows: Array<{ id: string }> }>(
    `${insertMessageSql()} RETURNING id`,
    messageBindings(m),
  );
  if (rows[0]) return { id: rows[0].id, created: true };
  const existing = await trx('messages').where({ dedupe_key: m.dedupe_key }).first<{ id: string }>('id');
  if (!existing) throw new Error('message dedupe key conflicted but no row is visible');
  return { id: existing.id, created: false };
}

/**
 * The outbox relay: adds the send jobs of up to `limit` messages that are waiting for one, in one
 * add_jobs call (one NOTIFY for the batch, not one per enqueueing transaction). SKIP LOCKED lets several
 * relays run at once; a relay that dies before commit leaves its messages waiting. Returns how many.
 */
export async function addJobsForWaitingMessages(db: Knex | Knex.Transaction, limit: number): Promise<number> {
  const { rows } = await db.raw<{ rows: Array<{ n: number }> }>(
    `WITH picked AS (
       SELECT id FROM messages WHERE awaiting_job ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED
     ), taken AS (
       UPDATE messages m SET awaiting_job = false FROM picked WHERE m.id = picked.id RETURNING m.id, m.channel
     ), specs AS (
       SELECT array_agg(ROW(?, json_build_object('id', id::text, 'channel', channel::text), NULL, NULL, ?,
                            'message:' || id::text, NULL, NULL)::graphile_worker.job_spec ORDER BY id) AS a
         FROM taken
     )
     SELECT (SELECT count(*) FROM taken)::int AS n,
            (SELECT count(*) FROM specs, graphile_worker.add_jobs(specs.a) WHERE specs.a IS NOT NULL) AS added`,
    [limit, SEND_TASK, JOB_MAX_ATTEMPTS],
  );
  return rows[0]?.n ?? 0;
}

/** Adds (or, when one is waiting, replaces) the job that sends a message; runs in the caller's transaction. */
export async function addSendJob(
  db: Knex | Knex.Transaction,
  messageId: string,
  channel: 'sms' | 'email',
  runAt?: Date,
): Promise<void> {
  await db.raw(
    `SELECT graphile_worker.add_job(?, json_build_object('id', ?::text, 'channel', ?::text),
                                    run_at := ?::timestamptz, max_attempts := ?, job_key := ?)`,
    [SEND_TASK, messageId, channel, runAt ?? null, JOB_MAX_ATTEMPTS, jobKeyFor(messageId)],
  );
}

/** Our statuses in the only order they may move: a callback never takes a message backwards. */
export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'undelivered'] as const;
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

export type StatusCounts = Record<MessageStatus, number> & { total: number };

export async function countByStatus(db: Knex, campaignId: string): Promise<StatusCounts> {
  const rows = await db('messages')
    .where({ campaign_id: campaignId })
    .select('channel', 'status')
    .count<Array<{ channel: string; status: MessageStatus; count: number }>>('* as count')
    .groupBy('channel', 'status');
  const counts = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0])) as StatusCounts;
  counts.total = 0;
  for (const r of rows) {
    counts[r.status] += Number(r.count);
    counts.total += Number(r.count);
  }
  return counts;
}

export async function countByChannelAndStatus(db: Knex, campaignId: string) {
  return db('messages')
    .where({ campaign_id: campaignId })
    .select('channel', 'status')
    .count<Array<{ channel: string; status: MessageStatus; count: number }>>('* as count')
    .groupBy('channel', 'status')
    .orderBy(['channel', 'status']);
}

/** Failed or undelivered messages of a campaign go back to the queue with fresh attempts; returns their ids. */
export async function requeueFailed(
  trx: Knex.Transaction,
  campaignId: string,
  ids?: string[],
): Promise<string[]> {
  const q = trx('messages').where({ campaign_id: campaignId }).whereIn('status', ['failed', 'undelivered']);
  if (ids) q.whereIn('id', ids);
  const rows = await q
    .update({
      status: 'queued',
      attempts: 0,
      error_code: null,
      error_message: null,
      failed_at: null,
      next_attempt_at: null,
      provider_id: null,
      in_doubt_since: null,
      updated_at: trx.fn.now(),
      // the outbox relay adds their jobs, one batch for however many were failed
      awaiting_job: true,
    })
    .returning<Array<{ id: string }>>(['id']);
  return rows.map((r) => r.id);
}

export interface OutboxRow {
  id: string;
  created_at: Date;
  kind: string;
  channel: string;
  lang: string;
  to_masked: string;
  subject: string | null;
  body: string;
  sealed: boolean;
  status: string;
  segments: number | null;
}

/** What the development outbox page shows: only messages the outbox channel handled, newest first. */
export async function listOutbox(db: Knex, limit: number): Promise<OutboxRow[]> {
  return db('messages')
    .where({ provider: 'outbox' })
    .select(
      'id',
      'created_at',
      'kind',
      'channel',
      'lang',
      'to_masked',
      'subject',
      'body',
      'sealed',
      'status',
      'segments',
    )
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit);
}

export interface FailedMessageRow {
  id: string;
  kind: string;
  channel: string;
  to_masked: string;
  status: string;
  attempts: number;
  error_code: string | null;
  updated_at: Date;
}

/** The most recent failures of a campaign, recipients masked, for the admin to judge before retrying. */
export async function listFailed(db: Knex, campaignId: string, limit: number): Promise<FailedMessageRow[]> {
  return db('messages')
    .where({ campaign_id: campaignId })
    .whereIn('status', ['failed', 'undelivered'])
    .select('id', 'kind', 'channel', 'to_masked', 'status', 'attempts', 'error_code', 'updated_at')
    .orderBy('updated_at', 'desc')
    .limit(limit);
}
