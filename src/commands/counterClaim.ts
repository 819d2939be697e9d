// What the counter's commands share: who may act at a site, finding the award behind a typed code or a
// scanned token, and what the staff member must see before handing over.
import type { Batched } from '../db/batch.js';
import type { Db, Trx } from '../db/knex.js';
import type { AwardRow } from '../db/repos/awards.js';
import { findCampaign } from '../db/repos/campaigns.js';
import { findByClaimCode } from '../db/repos/claimCodeIndex.js';
import {
  type ClaimKey,
  type CounterAward,
  type CounterPress,
  type CounterSiteRow,
  findCounterAward,
  findCounterPress,
  findCounterSite,
} from '../db/repos/counterAwards.js';
import type { ClearPress } from '../db/repos/counterCollections.js';
import type { StaffRole } from '../db/repos/staff.js';
import type { Campaign } from '../domain/campaign.js';
import { type AwardAtCounter, idAsName, type SiteName, whyNotCollectable } from '../domain/counter.js';
import { DomainError } from '../domain/errors.js';
import type { CounterCheck } from '../domain/facts.js';
import type { AwardContext } from './awardNotices.js';
import { heldOf } from './awardNotices.js';
import { claimCodeDigest } from './claimCodes.js';
import { claimSigner, looksLikeClaimToken, verifyClaimToken } from './claimTokens.js';
import { counterFactsFor } from './counterFacts.js';

export type CounterContext = AwardContext & {
  secrets: AwardContext['secrets'] & { claimSigningKey: Uint8Array };
  /** the process's group commit of clear presses (contexts.ts); without it each press is its own statement */
  collectClear?: Batched<ClearPress, AwardRow | undefined>;
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
  mayActAt(staff, siteId);
  return siteOrNotFound(await findCounterSite(db, siteId));
}

const mayAct = (staff: CounterStaff, siteId: string) =>
  staff.role === 'admin' || (staff.role === 'site_staff' && staff.site_id === siteId);

function mayActAt(staff: CounterStaff, siteId: string): void {
  if (!mayAct(staff, siteId)) throw new DomainError('forbidden', 'You are staff of another site');
}

function siteOrNotFound(site: CounterSite | undefined): CounterSite {
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
  const key = await claimKeyOf(ctx, code, now);
  if (!('digest' in key)) return key;
  const found = await findByClaimCode(ctx.db, key.digest);
  if (!found) throw new DomainError('claim_code_unknown', 'No award has this claim code');
  return { ...found, via: 'code' };
}

type KeyOfCode = FoundClaim | { digest: Buffer; via: 'code' };

/** The claim behind a press's code, worked out at most once (a refused QR press verified its token twice). */
export function claimOfPress(ctx: CounterContext, code: string, now: Date): () => Promise<KeyOfCode> {
  let key: Promise<KeyOfCode> | undefined;
  return () => {
    key ??= claimKeyOf(ctx, code, now);
    return key;
  };
}

/** The claim a press may try in one statement: undefined when the long way must answer (a refusal to explain). */
export async function clearClaimKey(
  staff: CounterStaff,
  siteId: string,
  key: () => Promise<KeyOfCode>,
): Promise<(ClaimKey & { via: FoundClaim['via'] }) | undefined> {
  return mayAct(staff, siteId) ? key().catch(() => undefined) : undefined;
}

/** What names the award: a scanned token checked here (no database), a typed code's digest to look up. */
async function claimKeyOf(ctx: CounterContext, code: string, now: Date): Promise<KeyOfCode> {
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
  return { digest: claimCodeDigest(ctx.secrets, code), via: 'code' };
}

/** What the counter decides on about one award. */
export interface AwardView {
  award: CounterAward;
  held: { amount: number; site: string; slot: string };
  slot: { starts_at: Date; ends_at: Date } | null;
  /** the award as the pure rule sees it (domain/counter.ts) */
  rule: AwardAtCounter;
}

/** Everything about one award that the counter shows and decides on. */
export interface CounterView extends AwardView {
  campaign: Campaign;
}

/** An award read for a press, with the names of the sites its refusal may name (no further reads). */
export interface PressView extends AwardView {
  names: Map<string, SiteName>;
}

const nameOf = (site: Pick<CounterSite, 'name_ko' | 'name_en'>): SiteName => ({
  ko: site.name_ko,
  en: site.name_en,
});

/** A press read in one round trip: the site (if this staff member may act there) and the award behind the code. */
export async function loadPress(
  ctx: CounterContext,
  staff: CounterStaff,
  siteId: string,
  claimOf: () => Promise<KeyOfCode>,
): Promise<{ site: CounterSite; claim: FoundClaim; view: PressView }> {
  mayActAt(staff, siteId);
  // The token's own refusal comes after the site's, as when the two were read one by one.
  const key = await claimOf().then(
    (k) => ({ ok: true as const, k }),
    (err: unknown) => ({ ok: false as const, err }),
  );
  const read = (k: ClaimKey) => findCounterPress(ctx.db, siteId, k);
  const press = key.ok
    ? await read(key.k)
    : { site: await findCounterSite(ctx.db, siteId), award: undefined };
  const site = siteOrNotFound(press.site);
  if (!key.ok) throw key.err;
  const a = press.award;
  if (!a) throw new DomainError('claim_code_unknown', 'No award has this claim code');
  const claim: FoundClaim = { campaign_id: a.campaign_id, public_id: a.public_id, via: key.k.via };
  return { site, claim, view: pressView(site, a) };
}

/** The award read again after a lost race (its site is known by now). */
export async function reloadPress(
  ctx: CounterContext,
  site: CounterSite,
  claim: FoundClaim,
): Promise<PressView> {
  const { award } = await findCounterPress(ctx.db, site.id, claim);
  if (!award) throw new DomainError('claim_code_unknown', 'No award has this claim code');
  return pressView(site, award);
}

function pressView(site: CounterSite, a: NonNullable<CounterPress['award']>): PressView {
  const view = awardView(a, a.campaign_claim_opens_at);
  const names = new Map<string, SiteName>([[site.id, nameOf(site)]]);
  for (const [id, ko, en] of [
    [view.held.site, a.held_site_name, a.held_site_name_en],
    [a.collected_site, a.collected_site_name, a.collected_site_name_en],
  ] as const) {
    if (id && !names.has(id)) names.set(id, ko && en ? { ko, en } : idAsName(id));
  }
  return { ...view, names };
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
  return { campaign, ...awardView(award, campaign.claim_opens_at) };
}

function awardView(award: CounterAward, claimOpensAt: Date): AwardView {
  const held = heldOf(award);
  const slot =
    held.slot && award.held_slot_starts_at && award.held_slot_ends_at
      ? { starts_at: award.held_slot_starts_at, ends_at: award.held_slot_ends_at }
      : null;
  return {
    award,
    held,
    slot,
    rule: {
      status: award.status,
      site: held.site,
      slot_starts_at: slot?.starts_at ?? null,
      claim_deadline: award.claim_deadline,
      claim_opens_at: claimOpensAt,
      collected_at: award.collected_at,
      collected_site: award.collected_site,
    },
  };
}

/** Why this award cannot be handed over at `site` at `now`, or undefined (a wrong site is named in the site's words). */
export async function notCollectableReason(
  db: Db | Trx,
  v: AwardView,
  site: CounterSite,
  now: Date,
  backOffice = false,
): Promise<DomainError | undefined> {
  return judgePress(await withSiteNames(db, v, site), site, now, backOffice);
}

/** The view with the names of the sites a refusal may name, read one by one. */
export async function withSiteNames(db: Db | Trx, v: AwardView, site: CounterSite): Promise<PressView> {
  const names = new Map<string, SiteName>([[site.id, nameOf(site)]]);
  for (const id of [v.held.site, v.award.collected_site ?? '']) {
    if (!id || names.has(id)) continue;
    const other = await findCounterSite(db, id);
    names.set(id, other ? nameOf(other) : idAsName(id));
  }
  return { ...v, names };
}

/** Why this award cannot be handed over at `site` at `now`, or undefined: the pure rule with the names read. */
export function judgePress(
  v: PressView,
  site: CounterSite,
  now: Date,
  backOffice = false,
): DomainError | undefined {
  const { names } = v;
  return whyNotCollectable(v.rule, {
    site: site.id,
    now,
    grace_minutes: site.pickup_grace_minutes,
    back_office: backOffice,
    siteName: (id) => names.get(id) ?? idAsName(id),
  });
}

/** What the counter shows before the press: what to hand over, when, and the checks to make. */
export function counterFacts(v: CounterView, checks: CounterCheck[]) {
  return {
    campaign_id: v.campaign.id,
    campaign: {
      title_ko: v.campaign.title_ko,
      title_en: v.campaign.title_en,
      code: v.campaign.code,
      /** the zone the page shows this award's times in */
      time_zone: v.campaign.time_zone,
    },
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
