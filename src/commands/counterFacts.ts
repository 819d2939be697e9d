// The facts site staff check at the counter for an award: the birth year (a declared one against an ID card) and
// the priority group (a declared one against its named proof), each with where it came from.
import { findApplicationFacts } from '../db/repos/applications.js';
import { findCampaign } from '../db/repos/campaigns.js';
import type { Campaign } from '../domain/campaign.js';
import type { BirthDateSource, CounterCheck } from '../domain/facts.js';
import { counterChecks } from '../domain/facts.js';
import { decryptText } from '../identity/crypto.js';
import type { CommandContext } from './context.js';
import type { IntakeContext } from './intakeContext.js';

export const BIRTH_DATE_AAD = 'birth_date';

/** Undefined when the campaign has no application with that public id. */
export async function counterFactsFor(
  ctx: CommandContext & Pick<IntakeContext, 'secrets'>,
  campaignId: string,
  publicId: string,
): Promise<CounterCheck[] | undefined> {
  const campaign = await findCampaign(ctx.db, campaignId);
  return campaign ? counterFactsOf(ctx, campaign, publicId) : undefined;
}

/** counterFactsFor with the campaign already in hand (the result page has it): one read. */
export async function counterFactsOf(
  ctx: CommandContext & Pick<IntakeContext, 'secrets'>,
  campaign: Pick<Campaign, 'id' | 'groups'>,
  publicId: string,
): Promise<CounterCheck[] | undefined> {
  const facts = await findApplicationFacts(ctx.db, campaign.id, publicId);
  if (!facts) return undefined;
  const sealed = facts.birth_date_enc ? decryptText(ctx.secrets, facts.birth_date_enc, BIRTH_DATE_AAD) : null;
  const birth_date = sealed ?? facts.legacy_birth_date;
  const birth_date_source: BirthDateSource | null = sealed
    ? facts.birth_date_source
    : birth_date
      ? 'declared'
      : null;
  const group = facts.group_name ? campaign.groups.find((g) => g.name === facts.group_name) : undefined;
  return counterChecks({ birth_date, birth_date_source }, group, facts.group_source);
}
