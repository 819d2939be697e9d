// Telling everyone a cancel reaches, a batch at a time in key order: each batch's notices written in one statement
// and one transaction, so no step of the cancel's job grows with how many are told. A retried job starts from the
// first batch again; the notices' dedupe keys (one a person) make it tell nobody twice.
import type { Trx } from '../db/knex.js';
import { enqueueNotices } from '../notify/enqueue.js';
import type { NoticeRequest } from '../notify/notice.js';
import type { NoticeEnv } from './awardNotices.js';
import type { CommandContext } from './context.js';

export interface CancelNotices {
  batches: number;
  /** notices written (a rerun writes none again) */
  notices: number;
}

/** Who is told of a cancel: the next batch after a key (in that key's order), and each one's notice. */
export interface ToTell<R, K> {
  /** before every key */
  start: K;
  next(trx: Trx, after: K, limit: number): Promise<R[]>;
  keyOf(r: R): K;
  /** undefined: nowhere to tell them (no contact, or one that will not open) */
  notice(r: R): NoticeRequest | undefined;
}

export async function tellInBatches<R, K>(
  ctx: CommandContext & NoticeEnv,
  who: ToTell<R, K>,
  batchSize: number,
  signal: AbortSignal | undefined,
): Promise<CancelNotices> {
  const out: CancelNotices = { batches: 0, notices: 0 };
  let after = who.start;
  for (;;) {
    signal?.throwIfAborted();
    const batch = await ctx.db.transaction(async (trx) => {
      const rows = await who.next(trx, after, batchSize);
      const notices = rows.map((r) => who.notice(r)).filter((n): n is NoticeRequest => n !== undefined);
      out.notices += await enqueueNotices(trx, notices, ctx.secrets.dataKey);
      return rows;
    });
    if (batch.length === 0) return out;
    out.batches++;
    after = who.keyOf(batch[batch.length - 1]!);
    if (batch.length < batchSize) return out;
  }
}
