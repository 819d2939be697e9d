// Everyone a cancelled campaign would have served is told it will not: a lottery's or reservation's active
// applications that left a contact (no draw, nothing charged), an instant sale's places still waiting in its queue
// (instant/tellQueueOfCancel.ts). One job, enqueued in the cancel's transaction, writes the notices after it
// commits, a batch a statement and a transaction, so a cancel stays one quick request however many applied; dedupe
// keys (one a person) make a retried job tell nobody twice.
import { findCampaign } from '../db/repos/campaigns.js';
import { listApplicantsAfter, type Recipient } from '../db/repos/recipients.js';
import { type Campaign, cancelNoteOf } from '../domain/campaign.js';
import { awardNoticeOf, type NoticeEnv } from './awardNotices.js';
import type { CommandContext } from './context.js';
import { contactOf } from './instant/placeNotice.js';
import { waitingPlaces } from './instant/tellQueueOfCancel.js';
import { type CancelNotices, type ToTell, tellInBatches } from './tellInBatches.js';

export async function tellOfCancel(
  ctx: CommandContext & NoticeEnv,
  campaignId: string,
  opts: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<CancelNotices> {
  const c = await findCampaign(ctx.db, campaignId);
  if (c?.state !== 'cancelled') return { batches: 0, notices: 0 };
  const batchSize = opts.batchSize ?? 500;
  return c.mode === 'instant'
    ? tellInBatches(ctx, waitingPlaces(ctx, c), batchSize, opts.signal)
    : tellInBatches(ctx, applicants(ctx, c), batchSize, opts.signal);
}

function applicants(env: NoticeEnv, c: Campaign): ToTell<Recipient, string> {
  return {
    start: '',
    next: (trx, after, limit) => listApplicantsAfter(trx, c.id, after, limit),
    keyOf: (r) => r.public_id,
    // a contact sealed under another key will not open: that one is skipped, the rest are still told
    notice: (r) =>
      contactOf(env, r) === undefined
        ? undefined
        : awardNoticeOf(
            env,
            c,
            r,
            'application_cancelled',
            cancelNoteOf(c, r.lang),
            `application_cancelled:${r.application_id}`,
          ),
  };
}
