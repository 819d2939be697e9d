// Who may apply: region of residence, age range and the 2020 mask birth-year rotation. Pure: `now` is passed in.
import { DateTime } from 'luxon';
import type { Campaign } from './campaign.js';

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
  | { reason: 'wrong_weekday'; allowed_day: Weekday; digits: string };

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'weekend';

/** 1,6 Monday; 2,7 Tuesday; 3,8 Wednesday; 4,9 Thursday; 5,0 Friday; anyone at the weekend. */
export function rotationDay(birthYear: number): Weekday {
  const days: Weekday[] = ['fri', 'mon', 'tue', 'wed', 'thu'];
  return days[birthYear % 5]!;
}

export function rotationDigits(day: Weekday): string {
  return { mon: '1, 6', tue: '2, 7', wed: '3, 8', thu: '4, 9', fri: '5, 0', weekend: '' }[day];
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
  c: Pick<Campaign, 'eligibility' | 'time_zone'>,
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
  if (rules.birth_year_rotation) {
    const weekday = DateTime.fromJSDate(now, { zone: c.time_zone }).weekday; // 1 = Monday .. 7 = Sunday
    if (weekday <= 5) {
      const allowed = rotationDay(Number(who.birth_date.slice(0, 4)));
      const today: Weekday = (['mon', 'tue', 'wed', 'thu', 'fri'] as const)[weekday - 1]!;
      if (allowed !== today)
        return { reason: 'wrong_weekday', allowed_day: allowed, digits: rotationDigits(allowed) };
    }
  }
  return undefined;
}

/** Parameters a translated refusal message fills in. */
export function refusalParams(r: Refusal): Record<string, string | number> {
  switch (r.reason) {
    case 'region_required':
    case 'region_not_eligible':
      return { regions: r.regions.join(', ') };
    case 'too_young':
      return { min_age: r.min_age };
    case 'too_old':
      return { max_age: r.max_age };
    case 'wrong_weekday':
      return { day: r.allowed_day, digits: r.digits };
    default:
      return {};
  }
}
