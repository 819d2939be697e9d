// What a counter may do with an award at a moment: the rule, pure, so the page, the API and the offline
// path give the same answer. The early-arrival grace is the site's own setting; the claim deadline is firm
// (the expiry sweep releases the award then, and it may already be someone else's).
import { DomainError } from './errors.js';

/** Every status an award (or a waitlist place) may have; the public audit page counts people by them. */
export const HELD_STATUSES = ['won', 'waitlisted', 'promoted', 'collected', 'expired', 'refused'] as const;
export type HeldStatus = (typeof HELD_STATUSES)[number];

export interface AwardAtCounter {
  status: HeldStatus;
  /** where and when it is to be collected now ('' slot: any time the site is open) */
  site: string;
  slot_starts_at: Date | null;
  claim_deadline: Date | null;
  claim_opens_at: Date;
  collected_at: Date | null;
  collected_site: string | null;
}

export interface CounterMoment {
  site: string;
  now: Date;
  grace_minutes: number;
  /** a back-office correction by an admin: a handover already made, so the slot's start does not apply */
  back_office?: boolean;
  /** site names for the messages, by id, in both languages */
  siteName?: (id: string) => SiteName;
}

export interface SiteName {
  ko: string;
  en: string;
}

/** A site known only by its id: the id stands for its name in both languages. */
export const idAsName = (id: string): SiteName => ({ ko: id, en: id });

/** The moment from which the award may be handed over at its site. */
export function pickupOpensAt(a: AwardAtCounter, graceMinutes: number): Date {
  const slot = a.slot_starts_at ? a.slot_starts_at.getTime() - graceMinutes * 60_000 : 0;
  return new Date(Math.max(slot, a.claim_opens_at.getTime()));
}

/** Why this award cannot be handed over here and now, or undefined when it can. */
export function whyNotCollectable(a: AwardAtCounter, m: CounterMoment): DomainError | undefined {
  const name = (id: string): SiteName => m.siteName?.(id) ?? idAsName(id);
  const named = (id: string) => {
    const n = name(id);
    return { site_id: id, site_name: n.ko, site_name_en: n.en };
  };
  switch (a.status) {
    case 'collected':
      return new DomainError('already_collected', 'This award was already collected', {
        details: {
          collected_at: a.collected_at?.toISOString() ?? null,
          ...named(a.collected_site ?? a.site),
        },
      });
    case 'expired':
      return new DomainError('claim_expired', 'The claim deadline has passed; this award was released', {
        details: { deadline: a.claim_deadline?.toISOString() ?? null },
      });
    case 'refused':
      return new DomainError('award_refused', 'This award was refused at a counter and released');
    case 'waitlisted':
      return new DomainError(
        'not_won',
        'This code belongs to an applicant on the waitlist: nothing to collect',
      );
    default:
  }
  if (a.site !== m.site) {
    return new DomainError('wrong_site', `This award is collected at ${name(a.site).en}`, {
      details: named(a.site),
    });
  }
  const opens = pickupOpensAt(a, m.grace_minutes);
  if (!m.back_office && m.now.getTime() < opens.getTime()) {
    return new DomainError('pickup_not_started', 'The pickup slot has not started yet', {
      details: { opens_at: opens.toISOString(), slot_starts_at: a.slot_starts_at?.toISOString() ?? null },
    });
  }
  if (a.claim_deadline && m.now.getTime() > a.claim_deadline.getTime()) {
    return new DomainError('claim_expired', 'The claim deadline has passed', {
      details: { deadline: a.claim_deadline.toISOString() },
    });
  }
  return undefined;
}
