// What admins and the development outbox see of a campaign's messages, and the retry of the failed ones.
import type { Knex } from 'knex';
import type { MessageStatus } from './messageStatus.js';

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
