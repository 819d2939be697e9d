// Change the amount, sites or group of an application while the window is open by the database clock.
import { findApplication, updateApplicationIfOpen } from '../db/repos/applications.js';
import { inTransaction } from '../db/transaction.js';
import { weightFor } from '../domain/application.js';
import { DomainError } from '../domain/errors.js';
import {
  type Applicant,
  type ApplyInput,
  checkApplication,
  groupSourceFor,
  sendReceipt,
} from './applyForCampaign.js';
import type { IntakeContext } from './intakeContext.js';
import { type Receipt, receiptOf, windowRefusal } from './receipt.js';

export async function changeApplication(
  ctx: IntakeContext,
  who: Applicant,
  input: Omit<ApplyInput, 'channel' | 'proxy'>,
): Promise<Receipt> {
  const rules = await ctx.rules.byId(ctx.db, input.campaign_id);
  checkApplication(rules, who, { ...input, channel: 'web' }, ctx.clock.now());
  const group_source = await groupSourceFor(ctx, rules, who, input.request.group);
  const c = rules.campaign;
  return inTransaction(ctx.db, async (trx) => {
    const { updated, window } = await updateApplicationIfOpen(trx, {
      campaign_id: c.id,
      rules_version: c.rules_version,
      identity_id: who.identity_id,
      request: input.request.amount,
      preferences: input.request.sites,
      group_name: input.request.group,
      group_source,
      weight: weightFor(c, input.request.group),
      region: input.region ?? null,
    });
    if (!updated) {
      const refusal = windowRefusal(window);
      if (refusal) throw refusal;
      if (window.rules_version !== c.rules_version) {
        ctx.rules.forget(c.id);
        throw new DomainError('conflict', 'The campaign rules changed; please submit again', {
          details: { reason: 'rules_changed' },
        });
      }
      throw new DomainError('not_found', 'You have no active application to change');
    }
    await sendReceipt(ctx, trx, rules, who, updated);
    return receiptOf(updated, c, rules.sites);
  });
}

/** The person's own application, if any (for the receipt page and STATUS). */
export async function myApplication(ctx: IntakeContext, campaignId: string, identityId: string) {
  const rules = await ctx.rules.byId(ctx.db, campaignId);
  const a = await (ctx.applications
    ? ctx.applications({ campaign_id: campaignId, identity_id: identityId })
    : findApplication(ctx.db, campaignId, identityId));
  return { rules, application: a, receipt: a ? receiptOf(a, rules.campaign, rules.sites) : undefined };
}
