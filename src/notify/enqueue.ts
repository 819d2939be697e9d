// enqueueNotice: the one way a use case asks for an SMS or email. It writes the message record inside the
// caller's transaction, marked as waiting for its send job (the outbox), so a rolled-back event sends nothing;
// the relay in the worker (outbox.ts) adds the graphile-worker jobs in batches. It de-duplicates by key, so
// the same event enqueued twice sends once.
import type { Knex } from 'knex';
import type { NoticeRequest } from './notice.js';
import { maskRecipient, sealRecipient } from './recipient.js';
import { renderNotice } from './render.js';

export async function enqueueNotice(
  trx: Knex.Transaction,
  n: NoticeRequest,
): Promise<{ messageId: string; created: boolean }> {
  // Rendering here, not at send time, makes a missing template parameter fail the caller's
  // transaction (a bug found at once) instead of becoming a message that can never be sent.
  const rendered = renderNotice(n);
  // No add_job here: its NOTIFY would serialise every enqueueing commit (about 430 commits/s on this
  // machine's disk), which capped application intake; the relay's one NOTIFY per batch does not.
  const inserted = await trx.raw<{ rows: Array<{ id: string }> }>(
    `INSERT INTO messages (dedupe_key, campaign_id, kind, channel, lang, template, to_enc, to_masked,
                           subject, body, html, segments, encoding, awaiting_job)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    [
      n.dedupeKey,
      n.campaignId ?? null,
      n.kind,
      n.channel,
      n.lang,
      rendered.template,
      sealRecipient(n.to),
      maskRecipient(n.to),
      rendered.subject,
      rendered.body,
      rendered.html,
      rendered.sms?.segments ?? null,
      rendered.sms?.encoding ?? null,
    ],
  );
  const row = inserted.rows[0];
  if (!row) {
    const existing = await trx('messages').where({ dedupe_key: n.dedupeKey }).first<{ id: string }>('id');
    if (!existing) throw new Error('message dedupe key conflicted but no row is visible');
    return { messageId: existing.id, created: false };
  }
  return { messageId: row.id, created: true };
}
