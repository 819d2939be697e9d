// Declared facts: the birth date and priority group an application rests on, and where each came from. Pure.

import { groupLabel, groupProof, type PriorityGroup } from './campaign.js';
import { ageOn } from './eligibility.js';

/** `provider`: 본인인증 or an OIDC birthdate claim; `declared`: typed by the resident, checked at pickup. */
export type BirthDateSource = 'provider' | 'declared';
/** `list`: on a list an admin imported; `provider`: derived from a provider birth date; `declared`: checked at pickup. */
export type GroupSource = 'declared' | 'list' | 'provider';

export interface FactsOfApplicant {
  birth_date: string | undefined;
  birth_date_source: BirthDateSource | undefined;
}

export type GroupRefusal =
  | { reason: 'group_not_listed'; group: PriorityGroup }
  | { reason: 'group_too_young'; group: PriorityGroup; min_age: number }
  | { reason: 'birth_date_required' };

/**
 * Whether the applicant may claim the group, and on what ground. `onList` says whether one of the person's
 * verified keys is on the group's imported list (asked only for `list` groups).
 */
export function groupStanding(
  g: PriorityGroup,
  who: FactsOfApplicant,
  onList: boolean,
  now: Date,
  zone: string,
): { source: GroupSource } | { refusal: GroupRefusal } {
  switch (g.check ?? 'declared') {
    case 'declared':
      return { source: 'declared' };
    case 'list':
      return onList ? { source: 'list' } : { refusal: { reason: 'group_not_listed', group: g } };
    case 'age': {
      if (!who.birth_date) return { refusal: { reason: 'birth_date_required' } };
      const min = g.min_age!; // validateCampaign refuses an age group without one
      if (ageOn(who.birth_date, now, zone) < min)
        return { refusal: { reason: 'group_too_young', group: g, min_age: min } };
      return { source: who.birth_date_source === 'provider' ? 'provider' : 'declared' };
    }
  }
}

/** What site staff check at pickup before handing over: one line each, in the order they are checked. */
export type CounterCheck =
  | { kind: 'birth_year'; birth_year: number; source: BirthDateSource; check: boolean }
  | {
      kind: 'group';
      group: string;
      label_ko: string;
      label_en: string;
      source: GroupSource;
      /** the proof to see (declared groups; for an age group on a declared birth date, the ID card) */
      proof_ko: string;
      proof_en: string;
      check: boolean;
    };

/**
 * The facts to check at the counter. A provider's or an imported list's word needs no check; a declared
 * birth date is checked against an ID card, a declared group against its named proof.
 */
export function counterChecks(
  facts: { birth_date: string | null; birth_date_source: BirthDateSource | null },
  group: PriorityGroup | undefined,
  groupSource: GroupSource | null,
): CounterCheck[] {
  const out: CounterCheck[] = [];
  if (facts.birth_date) {
    const source = facts.birth_date_source ?? 'declared';
    out.push({
      kind: 'birth_year',
      birth_year: Number(facts.birth_date.slice(0, 4)),
      source,
      check: source === 'declared',
    });
  }
  if (group) {
    const source = groupSource ?? 'declared';
    const byAge = group.check === 'age';
    const [label_ko, label_en] = [groupLabel(group, 'ko'), groupLabel(group, 'en')];
    out.push({
      kind: 'group',
      group: group.name,
      label_ko,
      label_en,
      source,
      proof_ko: byAge ? '신분증 (생년월일)' : groupProof(group, 'ko') || `${label_ko} 증빙`,
      proof_en: byAge ? 'ID card (birth date)' : groupProof(group, 'en') || `proof of ${label_en}`,
      check: source === 'declared',
    });
  }
  return out;
}
