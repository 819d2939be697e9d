// Campaign states, the transitions time drives, and the rules that make a campaign possible.
import type { FieldErrors } from './errors.js';

export const CAMPAIGN_STATES = [
  'draft',
  'scheduled',
  'open',
  'closed',
  'drawn',
  'claiming',
  'finished',
  'cancelled',
] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** The states the public sees a campaign in: a draft or a cancelled campaign is nobody's business but staff's. */
export const PUBLIC_STATES: readonly CampaignState[] = CAMPAIGN_STATES.filter(
  (s) => s !== 'draft' && s !== 'cancelled',
);
export type CampaignKind = 'voucher' | 'goods';
export type CampaignMode = 'lottery' | 'reservation' | 'instant';

/** The most a person can be given: the request, capped at the per-person limit, in whole denominations. */
export function wantedAmount(
  request: number,
  rules: { per_person_max: number; denomination: number },
): number {
  return wholeDenominations(Math.min(request, rules.per_person_max), rules.denomination);
}

/** An amount rounded down to whole denominations. */
export const wholeDenominations = (amount: number, denomination: number): number =>
  amount - (amount % denomination);

/**
 * How membership of a priority group is established (absent: `declared`):
 * - `declared`: the resident says so; site staff check the named proof (proof_ko/proof_en) at pickup;
 * - `list`: only people an admin imported (phone numbers or provider subjects, kept as HMACs) may claim it;
 * - `age`: derived from the birth date (min_age and over). A provider's birth date settles it; a declared one
 *   is checked against an ID card at pickup.
 */
export const GROUP_CHECKS = ['declared', 'list', 'age'] as const;
export type GroupCheck = (typeof GROUP_CHECKS)[number];

/** How a resident may prove who they are for a campaign. */
export const VERIFICATION_METHODS = ['sms', 'oidc', 'portone', 'email'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];
/** Phone code and OIDC: both key a person on something only they hold. Email is a contact, not a person. */
export const DEFAULT_VERIFICATION_METHODS: readonly VerificationMethod[] = ['sms', 'oidc'];

export interface PriorityGroup {
  /** the group's key: what applications and the draw rules name */
  name: string;
  /** how membership is checked; absent means `declared` */
  check?: GroupCheck | undefined;
  /** for `age`: the youngest age that belongs */
  min_age?: number | undefined;
  /** what residents and staff read; the key when not given */
  name_ko?: string | undefined;
  name_en?: string | undefined;
  /** what a member shows at the counter (e.g. 수급자 증명서), when membership is declared */
  proof_ko?: string | undefined;
  proof_en?: string | undefined;
  /** amount (KRW or items) set aside for this group before everyone else draws */
  reserved: number;
  /** tickets each member holds; 1 = no advantage */
  weight: number;
}

export interface Eligibility {
  /** district or city names; empty = anyone */
  regions: string[];
  min_age?: number | undefined;
  max_age?: number | undefined;
  /** 2020 mask rule: last digit of birth year picks the weekday (1,6 Mon; 2,7 Tue; ...) */
  birth_year_rotation: boolean;
}

export interface SlotInput {
  id: string;
  site_id: string;
  starts_at: Date;
  ends_at: Date;
  capacity: number;
}

export interface CampaignSchedule {
  opens_at: Date;
  closes_at: Date;
  draw_at: Date;
  claim_opens_at: Date;
  claim_closes_at: Date;
}

export interface CampaignInput extends CampaignSchedule {
  code: string;
  kind: CampaignKind;
  mode: CampaignMode;
  title_ko: string;
  title_en: string;
  description_ko: string;
  description_en: string;
  time_zone: string;
  unit: 'KRW' | 'item';
  total: number;
  denomination: number;
  per_person_max: number;
  partial: 'skip' | 'partial';
  eligibility: Eligibility;
  groups: PriorityGroup[];
  /** the ways a resident may prove who they are (at least one) */
  verification_methods: VerificationMethod[];
  unclaimed_policy: 'pass_down' | 'return';
  /** voucher price and issue rules: face value of one voucher (null: the denomination), discount in basis
   * points (the winner pays face * (10000 - discount_bp) / 10000), validity, checkout hold, and the hours a
   * winner has to pay (and collect) from the claim opening */
  voucher_unit?: number | null | undefined;
  discount_bp?: number | undefined;
  voucher_valid_days?: number | undefined;
  checkout_minutes?: number | undefined;
  claim_period_hours?: number | undefined;
  slots: SlotInput[];
}

export interface Campaign extends Omit<CampaignInput, 'slots'> {
  id: string;
  state: CampaignState;
  /** every change: an edit or a state change (the admin form's optimistic lock) */
  version: number;
  /** changes only when the rules an applicant is judged by change (edits, slots); intake writes check it */
  rules_version: number;
  state_changed_at: Date;
  /** a cancelled campaign's word to residents (on their pages and in the cancel's notices), in Korean; null: none */
  cancel_message_ko?: string | null;
  /** the same in English; null: none (English readers are given the Korean one) */
  cancel_message_en?: string | null;
}

/** The longest cancel message: it goes into an SMS with the notice's own text. */
export const CANCEL_MESSAGE_MAX = 200;

type CancelMessages = Pick<Campaign, 'cancel_message_ko' | 'cancel_message_en'>;

/** The operator's word to residents in a reader's language, else in the other one given; undefined: none given. */
export function cancelMessageIn(c: CancelMessages, lang: string): string | undefined {
  const [mine, other] =
    lang === 'en' ? [c.cancel_message_en, c.cancel_message_ko] : [c.cancel_message_ko, c.cancel_message_en];
  return mine || other || undefined;
}

/** A cancel notice's `note` parameter, in the notice's language: the operator's word, when one was given. */
export function cancelNoteOf(c: CancelMessages, lang: string): { note?: string } {
  const note = cancelMessageIn(c, lang);
  return note ? { note } : {};
}

/** Transitions that happen when a moment arrives, with the audit action each one writes. */
export interface TimedTransition {
  from: CampaignState;
  to: CampaignState;
  at: keyof CampaignSchedule;
  action: string;
  /** modes the transition applies to */
  modes: readonly CampaignMode[];
}

export const TIMED_TRANSITIONS: readonly TimedTransition[] = [
  {
    from: 'scheduled',
    to: 'open',
    at: 'opens_at',
    action: 'campaign.opened',
    modes: ['lottery', 'reservation', 'instant'],
  },
  {
    from: 'open',
    to: 'closed',
    at: 'closes_at',
    action: 'campaign.closed',
    modes: ['lottery', 'reservation', 'instant'],
  },
  // closed -> drawn is the draw itself (it needs the beacon), not a bare clock tick.
  {
    from: 'drawn',
    to: 'claiming',
    at: 'claim_opens_at',
    action: 'campaign.claiming',
    modes: ['lottery', 'reservation'],
  },
  // An instant sale has no draw: its buyers collect from the claim window on.
  { from: 'closed', to: 'claiming', at: 'claim_opens_at', action: 'campaign.claiming', modes: ['instant'] },
  {
    from: 'claiming',
    to: 'finished',
    at: 'claim_closes_at',
    action: 'campaign.finished',
    modes: ['lottery', 'reservation', 'instant'],
  },
];

/** The next timed transition due for a campaign at `now`, if any. */
export function dueTransition(
  c: Pick<Campaign, 'state' | 'mode'> & CampaignSchedule,
  now: Date,
): TimedTransition | undefined {
  return TIMED_TRANSITIONS.find(
    (t) => t.from === c.state && t.modes.includes(c.mode) && c[t.at].getTime() <= now.getTime(),
  );
}

const HOUR = 3600_000;

/** The claim deadline of an award made at `from`: the claim period (72 h unless set), within the claim window. */
export function claimDeadline(
  c: Pick<Campaign, 'claim_opens_at' | 'claim_closes_at'> & {
    claim_period_hours?: number | null | undefined;
  },
  from: Date,
): Date {
  const start = Math.max(c.claim_opens_at.getTime(), from.getTime());
  const end = start + (c.claim_period_hours ?? 72) * HOUR;
  return new Date(Math.min(end, c.claim_closes_at.getTime()));
}

/** A group's name in the reader's language: its own name there, else the other language's, else its key. */
export function groupLabel(g: PriorityGroup, lang: 'ko' | 'en'): string {
  return (lang === 'en' ? g.name_en || g.name_ko : g.name_ko || g.name_en) || g.name;
}

/** What a member must show at the counter, in the reader's language ('' when nothing is named). */
export function groupProof(g: PriorityGroup, lang: 'ko' | 'en'): string {
  return (lang === 'en' ? g.proof_en || g.proof_ko : g.proof_ko || g.proof_en) || '';
}

export const EDITABLE_STATES: readonly CampaignState[] = ['draft', 'scheduled'];
export const CANCELLABLE_STATES: readonly CampaignState[] = ['draft', 'scheduled', 'open', 'closed'];

/**
 * Whether a cancel may have people to tell: anything past its draft. A scheduled lottery takes applications once
 * its opening passes by the database clock, before the reconciler moves its state; a sale's pre-queue opens early.
 */
export function mayHoldPeople(c: Pick<Campaign, 'state'>): boolean {
  return c.state !== 'draft';
}

export function isEditable(state: CampaignState): boolean {
  return EDITABLE_STATES.includes(state);
}

const before = (a: Date, b: Date) => a.getTime() < b.getTime();

/** Everything that makes a campaign impossible, by field. Empty when it can run. */
export function validateCampaign(c: CampaignInput, knownSiteIds: ReadonlySet<string>): FieldErrors {
  const e: FieldErrors = {};
  // An instant sale sells vouchers through the payment path; goods sold first-come would need a pickup flow too.
  if (c.mode === 'instant' && c.kind !== 'voucher') e.mode = 'The instant-sale mode sells vouchers only';
  if (!before(c.opens_at, c.closes_at)) e.closes_at = 'The application window must end after it starts';
  if (before(c.draw_at, c.closes_at))
    e.draw_at = 'The draw cannot happen before the application window closes';
  if (before(c.claim_opens_at, c.draw_at)) e.claim_opens_at = 'Collection cannot start before the draw';
  if (!before(c.claim_opens_at, c.claim_closes_at))
    e.claim_closes_at = 'The claim window must end after it starts';

  if (c.kind === 'voucher' && c.unit !== 'KRW') e.unit = 'Voucher campaigns are counted in KRW';
  if (c.kind === 'goods' && c.unit !== 'item') e.unit = 'Goods campaigns are counted in items';
  if (c.total < 0) e.total = 'The budget or stock cannot be negative';
  else if (c.total % c.denomination !== 0) e.total = 'The total must be a multiple of the denomination';
  if (c.per_person_max < c.denomination)
    e.per_person_max = 'The per-person limit must be at least one denomination';
  else if (c.per_person_max % c.denomination !== 0)
    e.per_person_max = 'The denomination must divide the per-person limit';

  if (c.voucher_unit != null) {
    if (c.kind !== 'voucher') e.voucher_unit = 'Only voucher campaigns issue vouchers';
    else if (c.voucher_unit > c.denomination || c.denomination % c.voucher_unit !== 0)
      e.voucher_unit = 'The voucher face value must divide the denomination';
  }
  validateGroups(c, e);
  validateSlots(c, knownSiteIds, e);
  return e;
}

function validateGroups(c: CampaignInput, e: FieldErrors): void {
  const names = new Set<string>();
  let reserved = 0;
  c.groups.forEach((g, i) => {
    if (names.has(g.name)) e[`groups.${i}.name`] = 'Group names must be unique';
    names.add(g.name);
    if (g.reserved % c.denomination !== 0)
      e[`groups.${i}.reserved`] = 'A reserved quota must be a multiple of the denomination';
    if (g.check === 'age' && g.min_age === undefined)
      e[`groups.${i}.min_age`] = 'An age group needs the youngest age that belongs';
    reserved += g.reserved;
  });
  if (reserved > c.total) e.groups = 'Reserved quotas add up to more than the total';
}

function validateSlots(c: CampaignInput, knownSiteIds: ReadonlySet<string>, e: FieldErrors): void {
  if (c.kind === 'voucher') {
    if (c.slots.length > 0) e.slots = 'Voucher campaigns have no pickup slots';
    return;
  }
  if (c.slots.length === 0) return;
  const ids = new Set<string>();
  let capacity = 0;
  c.slots.forEach((s, i) => {
    if (ids.has(s.id)) e[`slots.${i}.id`] = 'Slot ids must be unique within the campaign';
    ids.add(s.id);
    if (!knownSiteIds.has(s.site_id)) e[`slots.${i}.site_id`] = `Unknown site ${s.site_id}`;
    if (!before(s.starts_at, s.ends_at)) e[`slots.${i}.ends_at`] = 'A slot must end after it starts';
    if (before(s.starts_at, c.claim_opens_at) || before(c.claim_closes_at, s.ends_at))
      e[`slots.${i}.starts_at`] = 'A pickup slot must lie inside the claim window';
    if (s.capacity % c.denomination !== 0)
      e[`slots.${i}.capacity`] = 'Capacity must be a multiple of the denomination';
    capacity += s.capacity;
  });
  if (capacity !== c.total) e.slots = `Slot capacities add up to ${capacity}, but the stock is ${c.total}`;
}
