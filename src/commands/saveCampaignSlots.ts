// Replace a goods campaign's pickup slots (from the per-site slot tables or a CSV import) while it is still
// editable. The campaign's stock becomes the slots' total capacity, so a site can be added or changed on its
// own; every other rule (known sites, inside the claim window, denominations, group quotas) is the campaign's.
import { appendAudit } from '../audit/log.js';
import type { Trx } from '../db/knex.js';
import { findCampaign, lockCampaign, setEditableCampaignTotal } from '../db/repos/campaigns.js';
import { existingSiteIds } from '../db/repos/sites.js';
import { replaceCampaignSlots } from '../db/repos/slots.js';
import { inTransaction } from '../db/transaction.js';
import { type Campaign, EDITABLE_STATES, type SlotInput, validateCampaign } from '../domain/campaign.js';
import { DomainError, type Problem, problem, validationFailed } from '../domain/errors.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';

/**
 * What is wrong with these slots as the campaign's: slot fields, and quotas that no longer fit the new total.
 * `complete`: false when some rows could not be read (they are refused on their own), so the total is not yet
 * known and only each slot's own faults count.
 */
async function slotProblems(
  trx: Trx,
  campaign: Campaign,
  slots: SlotInput[],
  complete: boolean,
): Promise<Problem[]> {
  if (campaign.kind !== 'goods') return [problem('slots', 'slots_voucher_none')];
  const total = slots.reduce((sum, s) => sum + s.capacity, 0);
  const known = await existingSiteIds(
    trx,
    slots.map((s) => s.site_id),
  );
  return validateCampaign({ ...campaign, total, slots }, known).filter((p) =>
    complete
      ? p.field.startsWith('slots') || p.field === 'groups' || p.field === 'total'
      : /^slots\.\d/.test(p.field),
  );
}

/**
 * The faults of slots read from a table or a file in which other rows were refused, so that one submit reports
 * them all: nothing is saved.
 */
export async function checkCampaignSlots(
  ctx: CommandContext,
  campaignId: string,
  slots: SlotInput[],
): Promise<Problem[]> {
  return inTransaction(ctx.db, async (trx) => {
    const campaign = await findCampaign(trx, campaignId);
    if (!campaign) throw new DomainError('not_found', 'No such campaign');
    return slotProblems(trx, campaign, slots, false);
  });
}

export async function saveCampaignSlots(
  ctx: CommandContext,
  actor: Actor,
  campaignId: string,
  slots: SlotInput[],
): Promise<{ slots: number; total: number }> {
  return inTransaction(ctx.db, async (trx) => {
    const campaign = await lockCampaign(trx, campaignId); // two saves never interleave
    if (!campaign) throw new DomainError('not_found', 'No such campaign');
    if (!EDITABLE_STATES.includes(campaign.state))
      throw new DomainError(
        'campaign_not_editable',
        `A campaign that is ${campaign.state} can no longer be edited`,
      );
    const problems = await slotProblems(trx, campaign, slots, true);
    if (problems.length > 0) throw validationFailed(problems);
    const total = slots.reduce((sum, s) => sum + s.capacity, 0);
    await replaceCampaignSlots(trx, campaignId, slots);
    await setEditableCampaignTotal(trx, campaignId, total, EDITABLE_STATES);
    await appendAudit(trx, {
      at: ctx.clock.now(),
      actor: actorLabel(actor),
      action: 'campaign.slots_saved',
      subject: `campaign:${campaignId}`,
      data: { slots: slots.length, total, sites: new Set(slots.map((s) => s.site_id)).size },
    });
    return { slots: slots.length, total };
  });
}
