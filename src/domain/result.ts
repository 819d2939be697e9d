// What a resident's application came to after the draw, decided from the award row alone: the one reading
// the result page, its API, SMS STATUS and the audit lookup share, so they never tell a person two things.
import type { Campaign, PriorityGroup } from './campaign.js';
import type { BirthDateSource, GroupSource } from './facts.js';

/**
 * won: holds an award now (from the draw, or passed down from the waitlist); collected; expired (not collected
 * by the deadline); refused (at the counter: the ID or the group's proof did not match); waitlisted: may still be promoted; lost: not selected and no
 * waitlist can reach them (the campaign returns unclaimed awards, or collection has ended); not_in_draw: the
 * application was withdrawn before the close, so it never entered the roster.
 */
export type ResultKind = 'won' | 'collected' | 'expired' | 'refused' | 'waitlisted' | 'lost' | 'not_in_draw';

export interface AwardFacts {
  outcome: 'won' | 'waitlisted';
  status: 'won' | 'waitlisted' | 'promoted' | 'collected' | 'expired' | 'refused';
  amount: number;
  site: string;
  slot: string;
  waitlist: number;
  held_amount: number | null;
  held_site: string | null;
  held_slot: string | null;
  promoted_from_rank: number | null;
}

const DRAWN_STATES: ReadonlySet<string> = new Set(['drawn', 'claiming', 'finished']);

/** Results not yet out come back spread over this much, so a crowd told the same thing is not one burst. */
export const RESULT_POLL_SPREAD_MS = 5000;
/** Past the draw's time the draw waits for its beacon, then runs on the worker: seconds to minutes. */
export const DRAW_PENDING_POLL_MS = 5000;
/** A resident looking days early is still told to look again within this (a moved draw is noticed). */
export const MAX_RESULT_POLL_MS = 10 * 60_000;

/**
 * When to look again for a result not yet published, in milliseconds: at the draw's time (msToDraw by the
 * service's clock), then every few seconds until it is out. `jitter` in [0, 1) spreads a crowd; 10,000 residents
 * looking every 2 s on their own were 5,000 requests a second at the moment the draw needs the machine.
 */
export function resultPollAfterMs(msToDraw: number, jitter: number): number {
  const spread = Math.floor(jitter * RESULT_POLL_SPREAD_MS);
  return (msToDraw > 0 ? Math.min(MAX_RESULT_POLL_MS, msToDraw) : DRAW_PENDING_POLL_MS) + spread;
}

/** Whether residents see results rather than their receipt. */
export function resultsPublished(c: Pick<Campaign, 'state'>): boolean {
  return DRAWN_STATES.has(c.state);
}

export function resultKind(
  award: Pick<AwardFacts, 'status'> | undefined,
  c: Pick<Campaign, 'state' | 'unclaimed_policy'>,
): ResultKind {
  if (!award) return 'not_in_draw';
  switch (award.status) {
    case 'won':
    case 'promoted':
      return 'won';
    case 'collected':
      return 'collected';
    case 'expired':
      return 'expired';
    case 'refused':
      return 'refused';
    case 'waitlisted':
      return c.unclaimed_policy === 'pass_down' && c.state !== 'finished' ? 'waitlisted' : 'lost';
  }
}

/** What the award holds now: passed down, what was passed; otherwise the draw's own result. */
export function heldOf(a: AwardFacts): { amount: number; site: string; slot: string; promoted: boolean } {
  const promoted = a.status === 'promoted' || a.promoted_from_rank !== null;
  return promoted
    ? { amount: Number(a.held_amount), site: a.held_site ?? '', slot: a.held_slot ?? '', promoted }
    : { amount: Number(a.amount), site: a.site, slot: a.slot, promoted };
}

/** One thing to bring to the counter; the page and SMS put it in words. */
export type BringItem =
  | { kind: 'claim_code' }
  | { kind: 'id_card'; declaredBirthDate: boolean }
  | {
      kind: 'group_proof';
      group: string;
      name_ko: string;
      name_en: string;
      proof_ko: string;
      proof_en: string;
    };

/**
 * What to bring to collect goods, matching what the counter checks (domain/facts.ts counterChecks): the claim
 * code; an ID card (a typed birth date is compared with it); and for a group the person declared, the proof
 * the group names (an age group is proven by the ID card; a list or a provider needs nothing). A voucher is
 * used in the app, so nothing is brought.
 */
export function whatToBring(
  c: Pick<Campaign, 'kind' | 'groups'>,
  o: { group: string; birthDateSource: BirthDateSource | null; groupSource: GroupSource | null },
): BringItem[] {
  if (c.kind === 'voucher') return [];
  const items: BringItem[] = [
    { kind: 'claim_code' },
    { kind: 'id_card', declaredBirthDate: o.birthDateSource !== 'provider' },
  ];
  const g: PriorityGroup | undefined = o.group ? c.groups.find((x) => x.name === o.group) : undefined;
  const declared = (o.groupSource ?? 'declared') === 'declared' && g?.check !== 'age';
  if (o.group && declared) {
    items.push({
      kind: 'group_proof',
      group: o.group,
      name_ko: g?.name_ko || o.group,
      name_en: g?.name_en || g?.name_ko || o.group,
      proof_ko: g?.proof_ko ?? '',
      proof_en: g?.proof_en || g?.proof_ko || '',
    });
  }
  return items;
}

/** A map search for the site, by position when known, else by name and address; a plain link, no script. */
export function mapUrl(site: {
  name_ko: string;
  address: string;
  lat?: number | null;
  lng?: number | null;
}): string | undefined {
  if (site.lat != null && site.lng != null) {
    return `https://www.openstreetmap.org/?mlat=${site.lat}&mlon=${site.lng}#map=18/${site.lat}/${site.lng}`;
  }
  if (!site.address) return undefined;
  return `https://map.naver.com/p/search/${encodeURIComponent(`${site.address} ${site.name_ko}`)}`;
}
