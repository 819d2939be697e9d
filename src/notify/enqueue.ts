// enqueueNotice: the one way a use case asks for an SMS or email. It writes the message record inside the
// caller's transaction, marked as waiting for its send job (the outbox), so a rolled-back event sends nothing;
// the relay in the worker (outbox.ts) adds the graphile-worker jobs in batches. It de-duplicates by key, so
// the same event enqueued twice sends once.
import type { Knex } from 'knex';
import { insertMessage, insertMessages, type NewMessage } from '../db/repos/messages.js';
import { type NoticeRequest, SEND_PRIORITY } from './notice.js';
import { maskRecipient, sealRecipient, sealText } from './recipient.js';
import { renderNotice } from './render.js';

/** Template parameters whose value must not be readable in the messages table. */
export const SECRET_PARAMS = ['code'] as const;

/**
 * The stored form of a notice. Rendering here, not at send time, makes a missing template parameter fail
 * the caller's transaction (a bug found at once) instead of becoming a message that can never be sent.
 */
export function prepareMessage(n: NoticeRequest, dataKey: Uint8Array): NewMessage {
  const rendered = renderNotice(n);
  // A text that holds a one-time code is stored sealed: the table never shows a usable code.
  const sealed = SECRET_PARAMS.some((p) => n.params[p] !== undefined);
  const stored = (text: string | null) => (text !== null && sealed ? sealText(text, dataKey) : text);
  return {
    dedupe_key: n.dedupeKey,
    campaign_id: n.campaignId ?? null,
    kind: n.kind,
    channel: n.channel,
    lang: n.lang,
    template: rendered.template,
    to_enc: sealRecipient(n.to, dataKey),
    to_masked: maskRecipient(n.to),
    subject: stored(rendered.subject),
    body: stored(rendered.body) as string,
    html: stored(rendered.html),
    sealed,
    segments: rendered.sms?.segments ?? null,
    encoding: rendered.sms?.encoding ?? null,
    priority: SEND_PRIORITY[n.kind] ?? 0,
  };
}

/** `dataKey` (config.secrets.dataKey) seals the recipient; the caller's context holds it. */
export async function enqueueNotice(
  trx: Knex.Transaction,
  n: NoticeRequest,
  dataKey: Uint8Array,
): Promise<{ messageId: string; created: boolean }> {
  const { id, created } = await insertMessage(trx, prepareMessage(n, dataKey));
  return { messageId: id, created };
}

/** Notices in one statement at most (its JSON parameter a few hundred kB) */
const NOTICES_A_STATEMENT = 1000;

/**
 * Many notices of one event, as enqueueNotice writes each (rendered, sealed, de-duplicated by key), in a statement
 * a thousand; returns how many were new.
 */
export async function enqueueNotices(
  trx: Knex.Transaction,
  ns: readonly NoticeRequest[],
  dataKey: Uint8Array,
): Promise<number> {
  let created = 0;
  for (let i = 0; i < ns.length; i += NOTICES_A_STATEMENT) {
    const part = ns.slice(i, i + NOTICES_A_STATEMENT).map((n) => prepareMessage(n, dataKey));
    created += await insertMessages(trx, part);
  }
  return created;
}
