// Withdraw an application while the window is open by the database clock; applying again revives it.
import type { Trx } from '../db/knex.js';
import { withdrawApplicationIfOpen } from '../db/repos/applications.js';
import { inTransaction } from '../db/transaction.js';
import { DomainError } from '../domain/errors.js';
import type { CampaignRules } from './campaignRules.js';
import type { IntakeContext } from './intakeContext.js';
import { type Receipt, receiptOf, windowRefusal } from './receipt.js';

export async function withdrawWithin(trx: Trx, rules: CampaignRules, identityId: string): Promise<Receipt> {
  const { withdrawn, window } = await withdrawApplicationIfOpen(trx, {
    campaign_id: rules.campaign.id,
    identity_id: identityId,
  });
  if (!withdrawn) {
    const refusal = windowRefusal(window);
    if (refusal) throw refusal;
    throw new DomainError('not_found', 'You have no active application to withdraw');
  }
  return receiptOf(withdrawn, rules.campaign, rules.sites);
}

export async function withdrawApplication(
  ctx: IntakeContext,
  campaignId: string,
  identityId: string,
): Promise<Receipt> {
  const rules = await ctx.rules.byId(ctx.db, campaignId);
  return inTransaction(ctx.db, (trx) => withdrawWithin(trx, rules, identityId));
}
