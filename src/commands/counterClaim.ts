// What the counter's commands share: who may act at a site, finding the award behind a typed code or a
// scanned token, and what the staff member must see before handing over.
import type { Db, Trx } from '../db/knex.js';
import { findCampaign } from '../db/repos/campaigns.js';
import { findByClaimCode } from '../db/repos/claimCodeIndex.js';
import {
  type CounterAward,
  type CounterSiteRow,
  findCounterAward,
  findCounterSite,
} from '../db/repos/counterAwards.js';
import type { StaffRole } from '../db/repos/staff.js';
import type { Campaign } from '../domain/campaign.js';
import { type AwardAtCounter, whyNotCollectable } from '../domain/counter.js';
import { DomainError } from '../domain/errors.js';
import type { CounterCheck } from '../domain/facts.js';
import type { AwardContext } from './awardNotices.js';
import { heldOf } from './awardNotices.js';
import { claimCodeDigest } from './claimCodes.js';
import { claimSigner, looksLikeClaimToken, verifyClaimToken } from './claimTokens.js';
import { counterFactsFor } from './counterFacts.js';

export type CounterContext = AwardContext & {
  secrets: AwardContext['secrets'] & { claimSigningKey: Uint8Array };
};

/** The staff member at the counter: site staff act at their own site only, admins at any. */
export interface CounterStaff {
  id: string;
  role: StaffRole;
  site_id: string | null;
}

export type CounterSite = CounterSiteRow;

/** The site, if this staff member may act there (403 otherwise, 404 for a site that does not exist). */
export async function counterSite(db: Db | Trx, staff: CounterStaff, siteId: string): Promise<CounterSite> {
  const allowed = staff.role === 'admin' || (staff.role === 'site_staff' && staff.site_id === siteId);
  if (!allowed) throw new DomainError('forbidden', 'You are staff of another site');
  const site = await findCounterSite(db, siteId);
  if (!site) throw new DomainError('not_found', 'No such site');
  return site;
}

export interface FoundClaim {
  campaign_id: string;
  public_id: string;
  via: 'code' | 'token';
}

/** The award a typed claim code or a scanned claim token names; refused when unknown, forged or expired. */
export async function findClaim(ctx: CounterContext, code: string, now: Date): Promise<FoundClaim> {
  if (looksLikeClaimToken(code)) {
    const checked = await verifyClaimToken(await claimSigner(ctx.secrets), code, now);
    if (!checked.ok && checked.reason === 'expired') {
      throw new DomainError('claim_expired', 'The claim deadline on this code has passed', {
        details: { deadline: checked.facts?.deadline.toISOString() ?? null },
      });
    }
    if (!checked.ok) throw new DomainError('claim_token_invalid', 'This QR code is not a valid claim code');
    return { campaign_id: checked.facts.campaign_id, public_id: checked.facts.public_id, via: 'token' };
  }
  const found = await findByClaimCode(ctx.db, claimCodeDigest(ctx.secrets, code));
  if (!found) throw new DomainError('claim_code_unknown', 'No award has this claim code');
  return { ...found, via: 'code' };
}

/** Everything about one award that the counter shows and decides on. */
export interface CounterView {
  campaign: Campaign;
  award: CounterAward;
  held: { amount: number; site: string; slot: string };
  slot: { starts_at: Date; ends_at: Date } | null;
  /** the award as the pure rule sees it (domain/counter.ts) */
  rule: AwardAtCounter;
}

/** The view and the checks to make at handover (the birth year, the group's proof; counterFacts.ts). */
export async function loadCounterChecks(ctx: CounterContext, claim: FoundClaim) {
  const view = await loadCounterView(ctx.db, claim);
  const checks = (await counterFactsFor(ctx, claim.campaign_id, claim.public_id)) ?? [];
  return { view, checks };
}

export async function loadCounterView(db: Db | Trx, claim: FoundClaim): Promise<CounterView> {
  const [campaign, award] = await Promise.all([
    findCampaign(db, claim.campaign_id),
    findCounterAward(db, claim.campaign_id, claim.public_id),
  ]);
  if (!campaign || !award) throw new DomainError('claim_code_unknown', 'No award has this claim code');
  const held = heldOf(award);
  const slot =
    held.slot && award.held_slot_starts_at && award.held_slot_ends_at
      ? { starts_at: award.held_slot_starts_at, ends_at: award.held_slot_ends_at }
      : null;
  return {
    campaign,
    award,
    held,
    slot,
    rule: {
      status: award.status,
      site: held.site,
      slot_starts_at: slot?.starts_at ?? null,
      claim_deadline: award.claim_deadline,
      claim_opens_at: campaign.claim_opens_at,
      collected_at: award.collected_at,
      collected_site: award.collected_site,
    },
  };
}

/** Why this award cannot be handed over at `site` at `now`, or undefined (a wrong site is named in the site's words). */
export async function notCollectableReason(
  db: Db | Trx,
  v: CounterView,
  site: CounterSite,
  now: Date,
  backOffice = false,
): Promise<DomainError | undefined> {
  const names = new Map<string, string>([[site.id, site.name_ko]]);
  for (const id of [v.held.site, v.award.collected_site ?? '']) {
    if (id && !names.has(id)) names.set(id, (await findCounterSite(db, id))?.name_ko ?? id);
  }
  return whyNotCollectable(v.rule, {
    site: site.id,
    now,
    grace_minutes: site.pickup_grace_minutes,
    back_office: backOffice,
    siteName: (id) => names.get(id) ?? id,
  });
}

/** What the counter shows before the press: what to hand over, when, and the checks to make. */
export function counterFacts(v: CounterView, checks: CounterCheck[]) {
  return {
    campaign_id: v.campaign.id,
    campaign: { title_ko: v.campaign.title_ko, title_en: v.campaign.title_en, code: v.campaign.code },
    public_id: v.award.public_id,
    status: v.award.status,
    amount: v.held.amount,
    unit: v.campaign.unit,
    site_id: v.held.site,
    slot: v.held.slot,
    slot_starts_at: v.slot?.starts_at.toISOString() ?? null,
    slot_ends_at: v.slot?.ends_at.toISOString() ?? null,
    claim_deadline: v.award.claim_deadline?.toISOString() ?? null,
    /** the birth year to compare with an ID card, the group and the proof it needs (check: false = already verified) */
    checks,
  };
}
