// Add or change a site (pharmacy, merchant), audited.
import { appendAudit } from '../audit/log.js';
import { type Site, upsertSite } from '../db/repos/sites.js';
import { inTransaction } from '../db/transaction.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';

export async function saveSite(ctx: CommandContext, actor: Actor, site: Site): Promise<Site> {
  return inTransaction(ctx.db, async (trx) => {
    const saved = await upsertSite(trx, site);
    await appendAudit(trx, {
      at: ctx.clock.now(),
      actor: actorLabel(actor),
      action: 'site.saved',
      subject: `site:${site.id}`,
      data: { name_ko: site.name_ko, district: site.district },
    });
    return saved;
  });
}
