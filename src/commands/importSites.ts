// Add or change many sites at once (a CSV import): all of them in one transaction, or none, audited once.
import { appendAudit } from '../audit/log.js';
import { type Site, upsertSite } from '../db/repos/sites.js';
import { inTransaction } from '../db/transaction.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';

export async function importSites(
  ctx: CommandContext,
  actor: Actor,
  sites: Site[],
  /** the columns the file has: an existing site keeps the others */
  columns: ReadonlyArray<keyof Site>,
): Promise<{ count: number }> {
  return inTransaction(ctx.db, async (trx) => {
    for (const site of sites) await upsertSite(trx, site, columns);
    await appendAudit(trx, {
      at: ctx.clock.now(),
      actor: actorLabel(actor),
      action: 'site.imported',
      subject: 'sites',
      data: { count: sites.length, ids: sites.slice(0, 100).map((s) => s.id), columns },
    });
    return { count: sites.length };
  });
}
