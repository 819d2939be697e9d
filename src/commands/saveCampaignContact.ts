// Whom residents ask about a campaign, changed in any state: the office's phone may change while it runs, and
// residents of a cancelled campaign or a refused award need it most, long after the campaign could be edited.
import { appendAudit } from '../audit/log.js';
import { updateCampaignContact } from '../db/repos/campaigns.js';
import { inTransaction } from '../db/transaction.js';
import type { Campaign } from '../domain/campaign.js';
import { type CampaignContact, contactProblems } from '../domain/contact.js';
import { DomainError, validationFailed } from '../domain/errors.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';

export async function saveCampaignContact(
  ctx: CommandContext,
  actor: Actor,
  id: string,
  contact: Required<CampaignContact>,
): Promise<Campaign> {
  const problems = contactProblems(contact);
  if (problems.length > 0) throw validationFailed(problems);
  return inTransaction(ctx.db, async (trx) => {
    const updated = await updateCampaignContact(trx, id, contact);
    if (!updated) throw new DomainError('not_found', 'No such campaign');
    await appendAudit(trx, {
      at: ctx.clock.now(),
      actor: actorLabel(actor),
      action: 'campaign.contact_changed',
      subject: `campaign:${id}`,
      // the office's own details, shown to every resident: kept so a wrong number can be traced to its change
      data: { version: updated.version, ...contact },
    });
    return updated;
  });
}
