// The send_message task: one message, once. Order of steps, and why:
//   1. take a token from the shared rate limiter (so N instances together keep the provider's rate);
//   2. mark the message 'sending' and count the attempt, committed, before calling the provider;
//   3. if it was still 'sending' (an earlier attempt died mid-call) or an earlier attempt timed out, the
//      provider may have it: ask (Twilio: same number and body since then) and adopt it if found;
//   4. send; record 'sent' with the provider's id, or schedule a retry (temporary) or fail (permanent).
// The window left: a crash after the provider accepted and before step 4's write, on a channel that
// cannot be asked (SMTP), sends that message again on restart (with the same Message-ID).
import type { Knex } from 'knex';
import {
  type ClaimedMessage,
  claimForSending,
  claimManyForSending,
  markFailed,
  markManySent,
  markSent,
  scheduleRetry,
} from '../db/repos/messageStatus.js';
import type { Logger } from '../logger.js';
import { type BackoffPolicy, retryDelayMs } from './backoff.js';
import { createBatcher } from './batch.js';
import { type ChannelAdapter, type OutgoingMessage, PermanentError, TemporaryError } from './channel.js';
import type { Channel } from './notice.js';
import type { SendRateLimiter } from './rateLimit.js';
import { openedTexts, openRecipient } from './recipient.js';

export interface SendDeps {
  db: Knex;
  channels: Record<Channel, ChannelAdapter>;
  limiter: SendRateLimiter;
  logger: Logger;
  /** DATA_KEY: opens the sealed recipient just before the provider call */
  dataKey: Uint8Array;
  maxAttempts: number;
  backoff: BackoffPolicy;
  random?: () => number;
  /** how steps 2 and 4 reach the database; one statement per message unless given (see batchedStore) */
  store?: SendStore;
}

export interface SendStore {
  claim(id: string, provider: string): Promise<ClaimedMessage | undefined>;
  markSent(id: string, provider: string, providerId: string): Promise<void>;
}

/**
 * Steps 2 and 4 of concurrent sends gathered into one statement each (claimManyForSending, markManySent).
 * Each send still waits for its own row to be committed before it calls the provider or finishes its job.
 */
export function batchedStore(db: Knex, opts = { maxBatch: 100, maxInFlight: 2 }): SendStore {
  const claims = new Map<string, ReturnType<typeof createBatcher<string, ClaimedMessage | undefined>>>();
  const sents = new Map<string, ReturnType<typeof createBatcher<{ id: string; providerId: string }, void>>>();
  return {
    claim(id, provider) {
      let b = claims.get(provider);
      if (!b) {
        b = createBatcher((ids: string[]) => claimManyForSending(db, ids, provider), opts);
        claims.set(provider, b);
      }
      return b.run(id);
    },
    markSent(id, provider, providerId) {
      let b = sents.get(provider);
      if (!b) {
        b = createBatcher(async (items: Array<{ id: string; providerId: string }>) => {
          await markManySent(db, provider, items);
          return items.map(() => undefined);
        }, opts);
        sents.set(provider, b);
      }
      return b.run({ id, providerId });
    },
  };
}

const directStore = (db: Knex): SendStore => ({
  claim: (id, provider) => claimForSending(db, id, provider),
  markSent: (id, provider, providerId) => markSent(db, id, provider, providerId),
});

export type SendOutcome = 'sent' | 'adopted' | 'retry' | 'failed' | 'skipped';

export async function sendMessage(
  deps: SendDeps,
  id: string,
  channel: Channel,
  signal?: AbortSignal,
): Promise<SendOutcome> {
  const adapter = deps.channels[channel];
  await deps.limiter.take(channel, signal);
  const store = deps.store ?? directStore(deps.db);
  const claimed = await store.claim(id, adapter.provider);
  if (!claimed) return 'skipped';
  const log = deps.logger.child({ message_id: id, channel, attempt: claimed.attempts });
  if (!claimed.to_enc) {
    await markFailed(deps.db, id, 'recipient_purged', 'the recipient was purged before the message was sent');
    return 'failed';
  }
  const texts = openedTexts(claimed, deps.dataKey);
  const message: OutgoingMessage = {
    id,
    channel: claimed.channel,
    to: openRecipient(claimed.to_enc, deps.dataKey),
    subject: texts.subject,
    body: texts.body,
    html: texts.html,
    lang: claimed.lang,
  };
  try {
    if (claimed.in_doubt_since && adapter.findAccepted) {
      const found = await adapter.findAccepted(message, claimed.in_doubt_since);
      if (found) {
        await store.markSent(id, adapter.provider, found.providerId);
        log.warn(
          { provider_id: found.providerId },
          'an interrupted send had reached the provider; recorded it, not sent again',
        );
        return 'adopted';
      }
    }
    const result = await adapter.send(message);
    await store.markSent(id, adapter.provider, result.providerId);
    log.debug({ provider_id: result.providerId }, 'message sent');
    return 'sent';
  } catch (err) {
    if (err instanceof PermanentError) {
      await markFailed(deps.db, id, err.code, err.message);
      log.warn({ error_code: err.code }, 'message failed permanently; not retried');
      return 'failed';
    }
    // Anything unclassified (a bug, a database hiccup) is retried, and treated as possibly delivered.
    const temp =
      err instanceof TemporaryError
        ? err
        : new TemporaryError('unexpected', err instanceof Error ? err.message : String(err), {
            inDoubt: true,
          });
    if (claimed.attempts >= deps.maxAttempts) {
      await markFailed(deps.db, id, temp.code, `gave up after ${claimed.attempts} attempts: ${temp.message}`);
      log.warn({ error_code: temp.code }, 'message failed after the last attempt');
      return 'failed';
    }
    const delay = retryDelayMs(claimed.attempts, deps.backoff, deps.random ?? Math.random, temp.retryAfterMs);
    await scheduleRetry(
      deps.db,
      { id, channel },
      { code: temp.code, message: temp.message, inDoubt: temp.inDoubt },
      new Date(Date.now() + delay),
    );
    log.info({ error_code: temp.code, retry_in_ms: delay }, 'temporary failure; retry scheduled');
    return 'retry';
  }
}
