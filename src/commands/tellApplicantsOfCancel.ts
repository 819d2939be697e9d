// A lottery or reservation cancelled once people had applied: each active application that left a contact is told,
// by SMS or email, that its draw or allocation will not take place and nothing was charged. One job, enqueued in the
// cancel's transaction, walks the applications in public id order, a batch a statement and a transaction; dedupe
// keys `application_cancelled:<application id>` make a retried or repeated batch send nothing twice.
import { findCampaign } from '../db/repos/campaigns.js';
import { listApplicantsAfter } from '../db/repos/recipients.js';
import { enqueueNotices } from '../notify/enqueue.js';
import type { NoticeRequest } from '../notify/notice.js';
import { awardNoticeOf, type NoticeEnv } from './awardNotices.js';
import type { CommandContext } from './context.js';

export interface CancelNotices {
  batches: number;
  /** notices written (a rerun writes none again) */
  notices: number;
}

export async function tellApplicantsOfCancel(
  ctx: CommandContext & NoticeEnv,
  campaignId: string,
  opts: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<CancelNotices> {
  const batchSize = opts.batchSize ?? 500;
  const c = await findCampaign(ctx.db, campaignId);
  const out: CancelNotices = { batches: 0, notices: 0 };
  if (c?.state !== 'cancelled') return out;
  let after = '';
  for (;;) {
    opts.signal?.throwIfAborted();
    const rows = await ctx.db.transaction(async (trx) => {
      const batch = await listApplicantsAfter(trx, campaignId, after, batchSize);
      const notices = batch
        .map((r) =>
          awardNoticeOf(ctx, c, r, 'application_cancelled', {}, `application_cancelled:${r.application_id}`),
        )
        .filter((n): n is NoticeRequest => n !== undefined);
      out.notices += await enqueueNotices(trx, notices, ctx.secrets.dataKey);
      return batch;
    });
    if (rows.length === 0) return out;
    out.batches++;
    after = rows[rows.length - 1]!.public_id;
    if (rows.length < batchSize) return out;
  }
}
