// Erase the contact details kept for a campaign once it is over (finished or cancelled).
import { appendAudit } from '../audit/log.js';
import { findCampaign } from '../db/repos/campaigns.js';
import { purgeCampaignContacts } from '../db/repos/identities.js';
import { inTransaction } from '../db/transaction.js';
import { DomainError } from '../domain/errors.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';

const RUNNING = ['draft', 'scheduled', 'open', 'closed', 'drawn', 'claiming'] as const;

export async function purgeContacts(ctx: CommandContext, actor: Actor, campaignId: string) {
  return inTransaction(ctx.db, async (trx) => {
    const c = await findCampaign(trx, campaignId);
    if (!c) throw new DomainError('not_found', 'No such campaign');
    if (c.state !== 'finished' && c.state !== 'cancelled') {
      throw new DomainError('invalid_transition', 'Contact details are kept until the campaign is finished');
    }
    const purged = await purgeCampaignContacts(trx, campaignId, RUNNING);
    await appendAudit(trx, {
      at: ctx.clock.now(),
      actor: actorLabel(actor),
      action: 'campaign.contacts_purged',
      subject: `campaign:${campaignId}`,
      data: purged,
    });
    return purged;
  });
}
