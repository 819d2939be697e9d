// The public counts of a drawn campaign (db/repos/drawCounts.ts), stored once: by the draw job right after the
// draw commits, and by the results fan-out should that job have stopped in between. Pages only read them.
import {
  countsReady,
  insertOutcomeCounts,
  insertStockCounts,
  lockCountsExclusive,
  markCountsReady,
} from '../db/repos/drawCounts.js';
import { findDraw } from '../db/repos/draws.js';
import type { CommandContext } from './context.js';

/** Computes and stores the counts once the draw has committed; later calls change nothing. */
export async function storeDrawCounts(ctx: CommandContext, campaignId: string): Promise<boolean> {
  if (await countsReady(ctx.db, campaignId)) return false;
  // Stored before the draw, empty counts marked ready would never be computed again.
  if (!(await findDraw(ctx.db, campaignId))?.results_hash) return false;
  return ctx.db.transaction(async (trx) => {
    await lockCountsExclusive(trx, campaignId);
    if (await countsReady(trx, campaignId)) return false;
    await insertOutcomeCounts(trx, campaignId);
    await insertStockCounts(trx, campaignId);
    await markCountsReady(trx, campaignId, ctx.clock.now());
    return true;
  });
}
