// Who may apply: region of residence, age range and the 2020 mask birth-year rotation. Pure: `now` is passed in.
import { DateTime } from 'luxon';
import type { Campaign, VerificationMethod } from './campaign.js';
import { DomainError } from './errors.js';
import {
  mayApplyAt,
  nextTurn,
  ROTATION_DIGITS,
  type RotationDay,
  rotationDay,
  type Turn,
} from './rotation.js';

export { type RotationDay, rotationDay } from './rotation.js';

export interface Applicant {
  /** YYYY-MM-DD, when known (phone and email verification ask for it; OIDC gives it when the provider does) */
  birth_date: string | undefined;
  /** district or city of residence, as declared */
  region: string | undefined;
}

/** A refusal with a stable reason; the page and SMS reply turn it into plain words (eligibility.<reason>). */
export type Refusal =
  | { reason: 'birth_date_required' }
  | { reason: 'region_required'; regions: string[] }
  | { reason: 'region_not_eligible'; regions: string[] }
  | { reason: 'too_young'; min_age: number }
  | { reason: 'too_old'; max_age: number }
  /**
   * Not the person's weekday. `turn`: the next time within the window they may apply; none when no such time comes
   * before the window closes (this campaign has no day for them).
   */
  | { reason: 'wrong_weekday'; allowed_day: RotationDay; digits: string; turn: Turn | undefined };

/** "5, 0": the last digits of the birth years whose weekday it is, as the API has always given them. */
export function rotationDigits(day: RotationDay): string {
  return ROTATION_DIGITS[day].join(', ');
}

/** Full years between the birth date and `now` in the campaign's time zone. */
export function ageOn(birthDate: string, now: Date, zone: string): number {
  const today = DateTime.fromJSDate(now, { zone });
  const born = DateTime.fromISO(birthDate, { zone });
  let age = today.year - born.year;
  if (today.month < born.month || (today.month === born.month && today.day < born.day)) age--;
  return age;
}

export function checkEligibility(
  c: Pick<Campaign, 'eligibility' | 'time_zone' | 'opens_at' | 'closes_at'>,
  who: Applicant,
  now: Date,
): Refusal | undefined {
  const rules = c.eligibility;
  const regions = rules.regions ?? [];
  if (regions.length > 0) {
    if (!who.region) return { reason: 'region_required', regions };
    if (!regions.includes(who.region)) return { reason: 'region_not_eligible', regions };
  }
  const needsBirth = rules.min_age !== undefined || rules.max_age !== undefined || rules.birth_year_rotation;
  if (!needsBirth) return undefined;
  if (!who.birth_date) return { reason: 'birth_date_required' };
  const age = ageOn(who.birth_date, now, c.time_zone);
  if (rules.min_age !== undefined && age < rules.min_age)
    return { reason: 'too_young', min_age: rules.min_age };
  if (rules.max_age !== undefined && age > rules.max_age)
    return { reason: 'too_old', max_age: rules.max_age };
  if (rules.birth_year_rotation) return weekdayRefusal(c, who.birth_date, now);
  return undefined;
}

/**
 * The birth-year weekday rule for a person born on `birthDate` at `at`: undefined on their weekday or at the
 * weekend, else refused with the next time within the window they may apply (none when the window closes first).
 * The application page asks it at the opening or now, whichever is later, before the form is filled in.
 */
export function weekdayRefusal(
  c: Pick<Campaign, 'time_zone' | 'opens_at' | 'closes_at'>,
  birthDate: string,
  at: Date,
): Refusal | undefined {
  const allowed = rotationDay(Number(birthDate.slice(0, 4)));
  if (mayApplyAt(allowed, at, c.time_zone)) return undefined;
  return {
    reason: 'wrong_weekday',
    allowed_day: allowed,
    digits: rotationDigits(allowed),
    turn: nextTurn(c, allowed, at),
  };
}

/**
 * A refusal's details as the API gives them and the words (i18n/refusal.ts) read them: for the weekday rule the
 * day, its digits and the next turn within the window (`turn_from`, `turn_until`, ISO; absent when none comes), with
 * the zone and the close to say it in.
 */
export function refusalParams(
  r: Refusal,
  c: Pick<Campaign, 'time_zone' | 'closes_at'>,
): Record<string, string | number | boolean> {
  switch (r.reason) {
    case 'region_required':
    case 'region_not_eligible':
      return { regions: r.regions.join(', ') };
    case 'too_young':
      return { min_age: r.min_age };
    case 'too_old':
      return { max_age: r.max_age };
    case 'wrong_weekday':
      return {
        day: r.allowed_day,
        digits: r.digits,
        ...(r.turn
          ? {
              turn_from: r.turn.from.toISOString(),
              turn_until: r.turn.until.toISOString(),
              turn_weekend: r.turn.weekend,
            }
          : {}),
        time_zone: c.time_zone,
        closes_at: c.closes_at.toISOString(),
      };
    default:
      return {};
  }
}

/** The refusal as the API gives it, the same wherever one is refused (an application, a join of a sale's queue). */
export function notEligible(r: Refusal, c: Pick<Campaign, 'time_zone' | 'closes_at'>): DomainError {
  return new DomainError('not_eligible', `Not eligible: ${r.reason}`, {
    details: { reason: r.reason, ...refusalParams(r, c) },
  });
}

/** Refused when the campaign does not accept the way the person verified (an application, a join of a sale's queue). */
export function methodRefusal(
  allowed: readonly VerificationMethod[],
  method: VerificationMethod,
): DomainError | undefined {
  if (allowed.includes(method)) return undefined;
  return new DomainError(
    'verification_not_allowed',
    `This campaign accepts only these ways to verify: ${allowed.join(', ')}`,
    { details: { method, allowed } },
  );
}
