// Replace a goods campaign's pickup slots (from the per-site slot tables or a CSV import) while it is still
// editable. The campaign's stock becomes the slots' total capacity, so a site can be added or changed on its
// own; every other rule (known sites, inside the claim window, denominations, group quotas) is the campaign's.
import { appendAudit } from '../audit/log.js';
import { lockCampaign, setEditableCampaignTotal } from '../db/repos/campaigns.js';
import { existingSiteIds } from '../db/repos/sites.js';
import { replaceCampaignSlots } from '../db/repos/slots.js';
import { inTransaction } from '../db/transaction.js';
import { EDITABLE_STATES, type SlotInput, validateCampaign } from '../domain/campaign.js';
import { DomainError, type FieldErrors, validationFailed } from '../domain/errors.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';

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
    if (campaign.kind !== 'goods')
      throw validationFailed({ slots: 'Voucher campaigns have no pickup slots' });
    const total = slots.reduce((sum, s) => sum + s.capacity, 0);
    const known = await existingSiteIds(
      trx,
      slots.map((s) => s.site_id),
    );
    const all = validateCampaign({ ...campaign, total, slots }, known);
    // Only what the slots decide: slot fields, and quotas that no longer fit the new total.
    const fields: FieldErrors = Object.fromEntries(
      Object.entries(all).filter(([k]) => k.startsWith('slots') || k === 'groups' || k === 'total'),
    );
    if (Object.keys(fields).length > 0) throw validationFailed(fields);
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
