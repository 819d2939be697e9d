// Campaign states, the transitions time drives, and the rules that make a campaign possible.
import { namedBeforeClose } from './beacon.js';
import { type CampaignContact, contactProblems } from './contact.js';
import { type Problem, problem } from './errors.js';

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

/**
 * The moments only a draw has: when it runs and when winners collect. An instant sale has neither (its buyers pay
 * within their hold and are issued vouchers then): nobody sets them, and they follow its close (instantSchedule).
 */
export const DRAW_MOMENTS = ['draw_at', 'claim_opens_at', 'claim_closes_at'] as const;

/** Whether a campaign of this mode is decided by a draw, with a draw time and a claim window of its own. */
export const hasDraw = (mode: CampaignMode | undefined): boolean => mode !== 'instant';

/**
 * How long after its close an instant sale is marked finished. Its last holds (minutes long) are settled well
 * before, and the pass settles any still open after anyway; once finished its contacts may be erased.
 */
export const INSTANT_FINISHED_AFTER_HOURS = 24;

/**
 * An instant sale's stored draw and claim moments, which its operator does not set: at its close (it goes from
 * closed to claiming at once) and, for its end, a day later.
 */
export function instantSchedule(closesAt: Date): Pick<CampaignSchedule, (typeof DRAW_MOMENTS)[number]> {
  return {
    draw_at: closesAt,
    claim_opens_at: closesAt,
    claim_closes_at: new Date(closesAt.getTime() + INSTANT_FINISHED_AFTER_HOURS * HOUR),
  };
}

/**
 * A draw's own rules, as a campaign has them when none is given: what to do when the last request is more than is
 * left, what becomes of an unclaimed award, how long a winner's checkout is held and how long a winner has to pay.
 * An instant sale has these and no others (its buyers' hold is its waiting room's, and nothing is awarded).
 */
export const DRAW_RULE_DEFAULTS = {
  partial: 'skip',
  unclaimed_policy: 'pass_down',
  checkout_minutes: 30,
  claim_period_hours: 72,
} as const;

/** Every field only a lottery or a reservation has: the draw's moments, its beacon, its rules. */
export const DRAW_ONLY_FIELDS = [
  ...DRAW_MOMENTS,
  'beacon_source',
  ...(Object.keys(DRAW_RULE_DEFAULTS) as (keyof typeof DRAW_RULE_DEFAULTS)[]),
] as const;

/**
 * What a request sets for an instant sale that only a draw has, each such field named (`not_for_instant`): a value
 * other than the one the sale has anyway. Its moments follow its close (instantSchedule), it names no beacon, and its
 * draw rules are the defaults; so left out, null, or the value a read of the sale shows is no fault, and a client
 * that sends back what it read is not refused. A moment is judged only once the close could be read.
 */
export function notForInstant(c: CampaignDraft): Problem[] {
  if (hasDraw(c.mode)) return [];
  const own = c.closes_at && instantSchedule(c.closes_at);
  const moments = DRAW_MOMENTS.filter((k) => own && c[k] && c[k].getTime() !== own[k].getTime());
  const beacon = c.beacon_source ? ['beacon_source' as const] : [];
  const rules = (Object.keys(DRAW_RULE_DEFAULTS) as (keyof typeof DRAW_RULE_DEFAULTS)[]).filter(
    (k) => c[k] !== undefined && c[k] !== DRAW_RULE_DEFAULTS[k],
  );
  return [...moments, ...beacon, ...rules].map((k) => problem(k, 'not_for_instant'));
}

/** A campaign as an operator sets it up; its contact (contact.ts) is optional, as for campaigns made before it. */
export interface CampaignInput extends CampaignSchedule, CampaignContact {
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
  /**
   * the public value a draw of this campaign seeds with, named in its own sentence (beacon.ts reads its format from
   * it); null: the service's BEACON_SOURCE. Committed with the seed at the opening; an instant sale has none
   */
  beacon_source?: string | null | undefined;
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

/**
 * A campaign as far as it could be read: a field that failed its own check is absent, and the rules that need
 * it are left out (the field's own fault is already reported), so one submit hears of every fault at once.
 */
export type CampaignDraft = Partial<CampaignInput>;

/**
 * Everything that makes a campaign impossible, by field, as catalogue keys (domain/errors.ts Problem). Empty when
 * it can run. Slot sites are checked when the caller knows which sites exist.
 */
export function validateCampaign(c: CampaignDraft, knownSiteIds?: ReadonlySet<string>): Problem[] {
  const e: Problem[] = [];
  const add = (field: string, key: string, params?: Problem['params']) => e.push(problem(field, key, params));
  // An instant sale sells vouchers through the payment path; goods sold first-come would need a pickup flow too.
  if (c.mode === 'instant' && c.kind === 'goods') add('mode', 'instant_vouchers_only');
  if (c.opens_at && c.closes_at && !before(c.opens_at, c.closes_at)) add('closes_at', 'closes_after_opens');
  // An instant sale's draw and claim moments are not the operator's (instantSchedule): their order is not judged (a
  // request naming others is refused them, notForInstant).
  if (hasDraw(c.mode)) {
    if (c.draw_at && c.closes_at && before(c.draw_at, c.closes_at)) add('draw_at', 'draw_after_closes');
    if (c.claim_opens_at && c.draw_at && before(c.claim_opens_at, c.draw_at))
      add('claim_opens_at', 'claim_after_draw');
    if (c.claim_opens_at && c.claim_closes_at && !before(c.claim_opens_at, c.claim_closes_at))
      add('claim_closes_at', 'claim_closes_after_opens');
  }

  if (c.kind === 'voucher' && c.unit === 'item') add('unit', 'voucher_in_krw');
  if (c.kind === 'goods' && c.unit === 'KRW') add('unit', 'goods_in_items');
  const d = c.denomination;
  if (c.total !== undefined && c.total < 0) add('total', 'total_negative');
  else if (c.total !== undefined && d !== undefined && c.total % d !== 0) add('total', 'total_multiple');
  if (c.per_person_max !== undefined && d !== undefined) {
    if (c.per_person_max < d) add('per_person_max', 'per_person_below_denomination');
    else if (c.per_person_max % d !== 0) add('per_person_max', 'per_person_multiple');
  }

  if (c.voucher_unit != null) {
    if (c.kind === 'goods') add('voucher_unit', 'voucher_unit_vouchers_only');
    else if (d !== undefined && (c.voucher_unit > d || d % c.voucher_unit !== 0))
      add('voucher_unit', 'voucher_unit_divides');
  }
  if (c.groups) validateGroups(c.groups, c, add);
  if (c.slots) validateSlots(c.slots, c, knownSiteIds, add);
  // a campaign's own beacon published before its close would be known while entries can still be added
  const early =
    hasDraw(c.mode) && c.beacon_source && c.closes_at && namedBeforeClose(c.beacon_source, c.closes_at);
  if (early) add('beacon_source', 'beacon_source_before_close', { moment: early });
  e.push(...contactProblems(c));
  return e;
}

/**
 * What stops a draft from being scheduled, beyond what it must be to be saved at all: a window still ahead, and
 * something to give (a budget, or slots with room). A draft may be saved without them while it is being set up
 * (a goods campaign's stock is its slots', added after). A per-person limit above the total is allowed: the stock
 * bounds every award anyway.
 */
export function scheduleProblems(c: Pick<Campaign, 'closes_at' | 'total' | 'kind'>, now: Date): Problem[] {
  const e: Problem[] = [];
  if (c.closes_at.getTime() <= now.getTime()) e.push(problem('closes_at', 'schedule_closes_in_future'));
  if (c.total <= 0)
    e.push(
      c.kind === 'goods' ? problem('slots', 'schedule_no_slots') : problem('total', 'schedule_no_budget'),
    );
  return e;
}

type Add = (field: string, key: string, params?: Problem['params']) => void;

function validateGroups(groups: PriorityGroup[], c: CampaignDraft, add: Add): void {
  const names = new Set<string>();
  let reserved = 0;
  groups.forEach((g, i) => {
    if (names.has(g.name)) add(`groups.${i}.name`, 'group_name_unique');
    names.add(g.name);
    if (c.denomination !== undefined && g.reserved % c.denomination !== 0)
      add(`groups.${i}.reserved`, 'group_reserved_multiple');
    if (g.check === 'age' && g.min_age === undefined) add(`groups.${i}.min_age`, 'group_age_needs_min');
    reserved += g.reserved;
  });
  if (c.total !== undefined && reserved > c.total) add('groups', 'groups_reserved_over_total');
}

function validateSlots(
  slots: SlotInput[],
  c: CampaignDraft,
  knownSiteIds: ReadonlySet<string> | undefined,
  add: Add,
): void {
  if (c.kind === 'voucher') {
    if (slots.length > 0) add('slots', 'slots_voucher_none');
    return;
  }
  if (slots.length === 0) return;
  const ids = new Set<string>();
  let capacity = 0;
  slots.forEach((s, i) => {
    if (ids.has(s.id)) add(`slots.${i}.id`, 'slot_id_unique');
    ids.add(s.id);
    if (knownSiteIds && !knownSiteIds.has(s.site_id))
      add(`slots.${i}.site_id`, 'slot_unknown_site', { site: s.site_id });
    if (!before(s.starts_at, s.ends_at)) add(`slots.${i}.ends_at`, 'slot_ends_after_starts');
    if (
      c.claim_opens_at &&
      c.claim_closes_at &&
      (before(s.starts_at, c.claim_opens_at) || before(c.claim_closes_at, s.ends_at))
    )
      add(`slots.${i}.starts_at`, 'slot_inside_claim_window');
    if (c.denomination !== undefined && s.capacity % c.denomination !== 0)
      add(`slots.${i}.capacity`, 'slot_capacity_multiple');
    capacity += s.capacity;
  });
  if (c.total !== undefined && capacity !== c.total)
    add('slots', 'slot_capacities_total', { capacity, total: c.total });
}
