// Writing messages and their graphile-worker send jobs, one named function each. Sending and delivery status:
// messageStatus.ts; what admins see and retry: messageAdmin.ts.
import type { Knex } from 'knex';

export const SEND_TASK = 'send_message';
/** graphile-worker's own retry is only a safety net for crashes and bugs; provider errors are retried by us. */
export const JOB_MAX_ATTEMPTS = 10;

export function jobKeyFor(messageId: string): string {
  return `message:${messageId}`;
}

/** jobKeyFor in SQL, of a column holding the message's id */
export const jobKeySql = (idColumn: string) => `'message:' || ${idColumn}::text`;

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
  /** its send job's priority: lower is sent sooner */
  priority: number;
}

/** each column a new message sets, with its SQL type (for statements that read many from one JSON value) */
export const NEW_MESSAGE_TYPES: Record<keyof NewMessage, string> = {
  dedupe_key: 'text',
  campaign_id: 'uuid',
  kind: 'text',
  channel: 'text',
  lang: 'text',
  template: 'text',
  to_enc: 'text',
  to_masked: 'text',
  subject: 'text',
  body: 'text',
  html: 'text',
  sealed: 'boolean',
  segments: 'smallint',
  encoding: 'text',
  priority: 'smallint',
};
const NEW_MESSAGE_COLUMNS = Object.keys(NEW_MESSAGE_TYPES) as Array<keyof NewMessage>;

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

/**
 * Many waiting messages in one statement, read from one JSON array: those whose dedupe key exists are skipped.
 * Returns how many were written. For an event that tells thousands at once (an instant sale's opening admits its
 * whole pre-queue), where a statement each held the opening's pass for seconds.
 */
export async function insertMessages(trx: Knex.Transaction, ms: readonly NewMessage[]): Promise<number> {
  if (ms.length === 0) return 0;
  const columns = NEW_MESSAGE_COLUMNS.join(', ');
  const { rowCount } = await trx.raw(
    `INSERT INTO messages (${columns}, awaiting_job)
     SELECT ${columns}, true
       FROM json_to_recordset(?::json)
         AS r(${NEW_MESSAGE_COLUMNS.map((c) => `${c} ${NEW_MESSAGE_TYPES[c]}`).join(', ')})
     ORDER BY dedupe_key
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [JSON.stringify(ms)],
  );
  return rowCount ?? 0;
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
 * The jobs are added in the order the messages were written: their ids are the order the worker takes equal
 * priorities in (by uuid, a batch's thousand went out in no order: at 10 SMS a second the first written could
 * wait 100 s behind the last).
 */
export async function addJobsForWaitingMessages(db: Knex | Knex.Transaction, limit: number): Promise<number> {
  const { rows } = await db.raw<{ rows: Array<{ n: number }> }>(
    `WITH picked AS (
       SELECT id FROM messages WHERE awaiting_job ORDER BY priority, created_at LIMIT ? FOR UPDATE SKIP LOCKED
     ), taken AS (
       UPDATE messages m SET awaiting_job = false FROM picked WHERE m.id = picked.id
       RETURNING m.id, m.channel, m.priority, m.created_at
     ), specs AS (
       SELECT array_agg(ROW(?, json_build_object('id', id::text, 'channel', channel::text), NULL, NULL, ?,
                            ${jobKeySql('id')}, priority, NULL)::graphile_worker.job_spec
                        ORDER BY created_at, id) AS a
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
                                    run_at := ?::timestamptz, max_attempts := ?, job_key := ?,
                                    priority := (SELECT priority FROM messages WHERE id = ?))`,
    [SEND_TASK, messageId, channel, runAt ?? null, JOB_MAX_ATTEMPTS, jobKeyFor(messageId), messageId],
  );
}
