// The instant sales' waiting rooms move with the reconciler's per-second pass: shuffle at opening, admit at
// the set rate, settle holds. Cheap when there is no instant sale (one indexed read).
import type { InstantContext } from '../commands/instant/context.js';
import { runInstantSales } from '../commands/instant/runSales.js';
import type { Logger } from '../logger.js';

/** The reconciler's step: a pass, with what any sale's part of it could not do logged (the next pass retries it). */
export function instantSalesStep(ctx: InstantContext, logger: Logger) {
  return {
    name: 'instant-sales',
    run: async () => {
      const report = await runInstantSales(ctx);
      for (const f of report.failures)
        logger.error(
          { err: f.err, campaign: f.campaignId, part: f.part },
          'instant sale: a part of the pass failed',
        );
      for (const u of report.untellable)
        logger.warn(
          { campaign: u.campaignId, places: u.places },
          "instant sale: turns not told, the places' contacts would not open",
        );
      for (const c of report.cancelled)
        logger.info(
          { campaign: c.campaignId, notices: c.notices, reason: c.reason },
          'instant sale: queued turn notices cancelled unsent',
        );
      return report;
    },
  };
}
