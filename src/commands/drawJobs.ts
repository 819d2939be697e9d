// The draw's heavy steps as graphile-worker jobs, so that they run on the draw worker, not in the reconciler's
// pass: the roster freeze (enqueued by the close's transaction) and the draw (enqueued once the draw is due
// and its beacon recorded). Each job is one transaction that finds the work already done and returns, so a
// job killed mid-way (its transaction rolled back) reruns to the same roster root and the same results.
import { findCampaign } from '../db/repos/campaigns.js';
import { lockDraw } from '../db/repos/draws.js';
import { type DrawOptions, type DrawOutcome, drawCampaign } from './drawCampaign.js';
import type { DrawContext } from './drawContext.js';
import { freezeDrawRoster } from './drawHooks.js';
import { storeDrawCounts } from './storeDrawCounts.js';

/** The freeze job: one transaction, holding the campaign's draw row; nothing to do once the root is stored. */
export async function runRosterFreeze(
  ctx: DrawContext,
  campaignId: string,
  opts: Pick<DrawOptions, 'beforeCommit'> = {},
): Promise<boolean> {
  return ctx.db.transaction(async (trx) => {
    const draw = await lockDraw(trx, campaignId);
    if (draw?.roster_root) return false;
    const c = await findCampaign(trx, campaignId);
    if (c?.state !== 'closed') return false; // cancelled meanwhile, or never closed
    await freezeDrawRoster(ctx, trx, c, ctx.clock.now());
    await opts.beforeCommit?.();
    return true;
  });
}

/**
 * The draw job: drawCampaign is already one conditional transaction (a second run changes nothing). The public
 * counts are stored right after it commits, in a transaction of their own (a million-row aggregate would hold
 * the draw's), so the audit and stock pages only ever read them.
 */
export async function runDrawJob(ctx: DrawContext, campaignId: string): Promise<DrawOutcome | undefined> {
  const outcome = await drawCampaign(ctx, campaignId);
  await storeDrawCounts(ctx, campaignId);
  if (outcome) {
    ctx.logger?.info(
      { campaign: campaignId, results_hash: outcome.results_hash, won: outcome.won },
      'draw.executed',
    );
  }
  return outcome;
}
