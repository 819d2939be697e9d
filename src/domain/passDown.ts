// The pass-down of an unclaimed award, a fairness rule as much as the draw: who receives an award released by
// an expiry or a refusal at the counter, how much of it, where and until when. Pure; commands/passDown.ts loads
// the candidates and the slots' room and writes what this decides.
//
// When: only under the policy 'pass_down' ('return' gives the award back to the city), and only before the
// claim window closes (claim_closes_at).
// Who: the best-ranked applicant still on the waitlist who named the freed award's site among their preferences
// (anyone, for a campaign without sites). Only that applicant is considered: when the amount below comes to
// nothing, nobody is promoted (the award is not offered further down).
// How much: min(the freed amount, their own request capped at the per-person limit and rounded down to whole
// denominations). Anything left returns to the city.
// Until when: the claim period counted from the promotion, never past claim_closes_at.
// Where (goods): the freed units are at the freed award's site, so the promotion stays there. As the draw
// places a winner (the site's first slot in time order with room for the amount), the promoted applicant gets
// the site's first slot that is still ahead (it ends at least PROMOTION_LEAD_MS after the promotion: time to
// read the notice and go) with room, and a deadline no earlier than that slot's end (within the window). When
// no slot of the site is ahead with room, they get no slot: the site any time it is open until their deadline.
import { type Campaign, claimDeadline, wantedAmount } from './campaign.js';

/** A slot counts as still ahead for a promotion when it ends at least this long after the promotion. */
export const PROMOTION_LEAD_MS = 2 * 3600_000;

export type PassDownRules = Pick<
  Campaign,
  'unclaimed_policy' | 'claim_opens_at' | 'claim_closes_at' | 'denomination' | 'per_person_max'
> & { claim_period_hours?: number | null | undefined };

/** What the released award held. */
export interface FreedAward {
  /** '' for a campaign without sites */
  site: string;
  amount: number;
}

/** An applicant on the waitlist: their rank, what they asked for and the sites they named. */
export interface WaitlistCandidate {
  rank: number;
  request: number;
  preferences: readonly string[];
}

/** A pickup slot with the room it has left now. */
export interface SlotRoom {
  id: string;
  site_id: string;
  starts_at: Date;
  ends_at: Date;
  room: number;
}

export type SlotRule = 'earliest_slot_ahead' | 'any_time_until_deadline';

export interface Promotion<C extends WaitlistCandidate> {
  to: C;
  amount: number;
  site: string;
  /** '' when no slot of the site is ahead with room (or the campaign has no sites) */
  slot: string;
  deadline: Date;
  rule: SlotRule;
}

/** Whether a released award passes down at all at `now`. */
export function passesDown(rules: PassDownRules, now: Date): boolean {
  return rules.unclaimed_policy === 'pass_down' && now.getTime() < rules.claim_closes_at.getTime();
}

/** Whether a candidate may receive an award freed at `site`. */
export function namedSite(candidate: WaitlistCandidate, site: string): boolean {
  return site === '' || candidate.preferences.includes(site);
}

/**
 * Who receives the freed award, how much, where and until when; undefined when it returns to the city.
 * `candidates` are waitlisted applicants in any order (the best-ranked who named the site is chosen); `rooms`
 * the campaign's slots with their room now, in time order (only the freed site's slots still ahead count).
 */
export function passDown<C extends WaitlistCandidate>(
  rules: PassDownRules,
  freed: FreedAward,
  candidates: readonly C[],
  rooms: readonly SlotRoom[],
  now: Date,
): Promotion<C> | undefined {
  if (!passesDown(rules, now)) return undefined;
  let to: C | undefined;
  for (const c of candidates) if (namedSite(c, freed.site) && (!to || c.rank < to.rank)) to = c;
  if (!to) return undefined;
  const amount = Math.min(freed.amount, wantedAmount(to.request, rules));
  if (amount <= 0) return undefined;
  const deadline = claimDeadline(rules, now);
  const slot = freed.site ? earliestSlotAhead(rooms, freed.site, amount, now) : undefined;
  if (!slot) return { to, amount, site: freed.site, slot: '', deadline, rule: 'any_time_until_deadline' };
  const latest = Math.min(
    Math.max(deadline.getTime(), slot.ends_at.getTime()),
    rules.claim_closes_at.getTime(),
  );
  return {
    to,
    amount,
    site: freed.site,
    slot: slot.id,
    deadline: new Date(latest),
    rule: 'earliest_slot_ahead',
  };
}

/**
 * The site's first slot in time order that ends at least PROMOTION_LEAD_MS after `now` and has room. Slots
 * starting together keep the order they are given in (the repository's: by id, as the draw orders them).
 */
function earliestSlotAhead(rooms: readonly SlotRoom[], site: string, amount: number, now: Date) {
  const endsAfter = now.getTime() + PROMOTION_LEAD_MS;
  let best: SlotRoom | undefined;
  for (const s of rooms) {
    if (s.site_id !== site || s.room < amount || s.ends_at.getTime() < endsAfter) continue;
    if (!best || s.starts_at.getTime() < best.starts_at.getTime()) best = s;
  }
  return best;
}
