// The instant sale's waiting room: a pre-queue shuffled by a seed committed before anyone could join, then
// first come first served, admitted at a set rate with a cap on buyers at the counter at once, never more than
// the stock left can serve. Pure: the service and `npm run verify-queue` (the auditor's recomputation) run the
// same functions.
import { compareUtf8, fromHex, hmacSha256, sha256, toHex, utf8 } from '../draw/index.js';

/** Domain tag mixed into the seed, so a queue seed is never the seed of anything else. */
export const QUEUE_SEED_TAG = 'fair-allocation/instant-queue/v1';

/** Published before the pre-queue opens: SHA-256 of the operator's 32-byte secret (hex). */
export function queueCommitment(secretHex: string): string {
  return toHex(sha256(fromHex(secretHex)));
}

/** Revealed at opening: SHA-256(tag || secret || campaign code). The code stops one secret serving two sales. */
export function queueSeed(secretHex: string, campaignCode: string): string {
  const tag = utf8(`${QUEUE_SEED_TAG}:${campaignCode}:`);
  const secret = fromHex(secretHex);
  const msg = new Uint8Array(tag.length + secret.length);
  msg.set(tag);
  msg.set(secret, tag.length);
  return toHex(sha256(msg));
}

/** Each pre-queue ticket's place key: HMAC-SHA256(seed, ticket) as lowercase hex (compared as bytes). */
export function queueKey(seedHex: string, ticket: string): string {
  return keyUnder(fromHex(seedHex), ticket);
}

const keyUnder = (seed: Uint8Array, ticket: string) => toHex(hmacSha256(seed, utf8(ticket)));

/** The pre-queue in admission order: ascending HMAC key, ties (never in practice) by ticket. */
export function shufflePreQueue(seedHex: string, tickets: readonly string[]): string[] {
  if (tickets.length === 0) return []; // an empty pre-queue never reads the seed: an auditor given a bad one is told, not thrown at
  const seed = fromHex(seedHex); // once for the lot, not once a ticket: on the opening's critical path
  const keyed = tickets.map((ticket) => ({ ticket, key: keyUnder(seed, ticket) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : compareUtf8(a.ticket, b.ticket)));
  return keyed.map((k) => k.ticket);
}

export interface AdmissionState {
  /** everyone whose rank is at most this may take an admission token */
  admittedThrough: number;
  /** people in the queue: the highest rank, or at the opening, before any rank is written, everyone in the room */
  queued: number;
  /** admission tokens outstanding: issued, not used, not expired */
  active: number;
  /** purchases the stock not held or sold can still serve, at the smallest purchase (one denomination) each */
  unitsLeft: number;
}

export interface AdmissionRules {
  perSecond: number;
  maxActive: number;
  /** let in up to this much more than the stock left can serve (absent: 0, never more) */
  overbookPercent?: number;
}

/** What the counter holds: admission tokens out, and the purchases the stock left can serve. */
type Counter = Pick<AdmissionState, 'active' | 'unitsLeft'>;

/** Buyers the stock left can serve, and as many more again as the operator's overbooking allows. */
const servable = (s: Counter, rules: AdmissionRules) =>
  Math.floor((s.unitsLeft * (100 + (rules.overbookPercent ?? 0))) / 100);

/** Buyers who may be at the counter at once: the set cap, and never more than the stock left can serve. */
const counterRoom = (s: Counter, rules: AdmissionRules) =>
  Math.max(0, Math.min(rules.maxActive, servable(s, rules)) - s.active);

/**
 * Whether one more turn may start now: a turn given again to a place whose token ran out unspent counts at the
 * counter as a new admission does, under the same cap and stock (the pass admits no one past them either).
 */
export function counterHasRoom(s: Counter, rules: AdmissionRules): boolean {
  return counterRoom(s, rules) > 0;
}

/**
 * How far the admission cursor moves after `elapsedMs` since it last moved: the set rate, never past the
 * queue's end, and only while the counter has room: fewer than maxActive buyers at it, and fewer than the stock
 * left can serve (or the share more the operator overbooks). A turn given when everything left is already
 * someone's to buy would end only in "sold out" (an SMS telling a person to come for nothing); held back, the
 * next in line gets the stock that comes back. Integer arithmetic only.
 */
export function advanceCursor(s: AdmissionState, rules: AdmissionRules, elapsedMs: number): number {
  const byRate = Math.floor((rules.perSecond * Math.max(0, elapsedMs)) / 1000);
  const step = Math.min(byRate, counterRoom(s, rules), Math.max(0, s.queued - s.admittedThrough));
  return s.admittedThrough + step;
}

/**
 * Whether people wait because the stock left is all someone's to buy (tokens out, at most maxActive), not
 * because of the rate: their turn comes only if stock comes back, so "about N seconds" would not be honest.
 */
export function heldBackByStock(s: AdmissionState, rules: AdmissionRules): boolean {
  return s.queued > s.admittedThrough && servable(s, rules) < rules.maxActive && counterRoom(s, rules) === 0;
}

/**
 * What the stock lets a look say. Sold out only for good: nothing left and nothing in a buyer's hold. While
 * everything left is held, a failed payment or a run-out hold gives units back to the next in line, so those
 * waiting are told they wait for that ('held'), not sent away by a "sold out" that is not yet true.
 */
export function stockState(remaining: number, holdsLive: boolean): 'available' | 'held' | 'sold_out' {
  if (remaining > 0) return 'available';
  return holdsLive ? 'held' : 'sold_out';
}

/**
 * Why turns are no longer worth telling: nothing left and nothing held to come back, or the sale closed; undefined
 * while a turn can still buy.
 */
export function turnsEnded(
  remaining: number,
  holdsLive: boolean,
  closed: boolean,
): 'sale_sold_out' | 'sale_closed' | undefined {
  if (stockState(remaining, holdsLive) === 'sold_out') return 'sale_sold_out';
  return closed ? 'sale_closed' : undefined;
}

/**
 * How long a turn goes unused before an SMS or email tells of it: at an opening the people at the page buy within
 * seconds, and the notice is for those who are not (written at once, 4,000 notices were rendered, sealed and
 * written in the sell-out's first seconds, and most then cancelled). At most a quarter of a short turn.
 */
export const TURN_NOTICE_AFTER_MS = 10_000;

/** Turns whose token expires at or before this were given at least TURN_NOTICE_AFTER_MS before `now`. */
export function turnNoticeDueBy(now: Date, tokenSeconds: number): Date {
  const after = Math.min(TURN_NOTICE_AFTER_MS, (tokenSeconds * 1000) / 4);
  return new Date(now.getTime() + tokenSeconds * 1000 - after);
}

/** People ahead and an honest estimate of the wait, in seconds, at the set rate. */
export function waitEstimate(rank: number, admittedThrough: number, perSecond: number) {
  const ahead = Math.max(0, rank - admittedThrough - 1);
  return { ahead, seconds: Math.ceil((ahead + 1) / Math.max(1, perSecond)) };
}

/** How long the reconciler's pass may take to shuffle and admit after opening before a pre-queue place looks. */
export const OPENING_SETTLE_MS = 500;
/** Pre-queue and waiting places come back spread over this much, so a crowd told the same moment is not one burst. */
export const POLL_SPREAD_MS = 1000;
/** Stock held for buyers ahead can come back (a failed payment, a hold run out): look again this much later. */
export const HELD_BACK_POLL_MS = 5000;
/** The cursor moves once a pass (every second): looking sooner than that only finds the same place. */
const MIN_POLL_MS = 1000;
/** The longest the service asks a client to wait before looking again (before the spread). */
export const MAX_POLL_MS = 30_000;

export type PollHint =
  /** msToOpening: by the database clock, which opens the sale; waitMs: how long the next look will be held (Prefer: wait) */
  | { state: 'pre_queue'; msToOpening: number; waitMs?: number }
  /** heldBack: the room's last pass held admission back for stock, so the next pass will not admit this place */
  | { state: 'placing'; heldBack?: boolean }
  /** heldBack: the turn comes only if stock comes back (heldBackByStock), so look again every HELD_BACK_POLL_MS */
  | { state: 'waiting'; ahead: number; perSecond: number; heldBack?: boolean };

/**
 * When a client should look at its place again, in milliseconds: after opening (plus the shuffle's settle) for
 * the pre-queue, or once that is within the hold for a look the service will hold; at the estimated turn while
 * waiting; at the next pass while being placed. `jitter` in [0, 1) spreads a crowd over POLL_SPREAD_MS (a look
 * the service will hold is not spread); it only moves when a client asks, never its place in the queue.
 */
export function pollAfterMs(s: PollHint, jitter: number): number {
  const spread = Math.floor(jitter * POLL_SPREAD_MS);
  switch (s.state) {
    case 'pre_queue': {
      // Never longer than MAX_POLL_MS: a sale moved earlier is noticed, and an early joiner looks a few times. A
      // look that will be held looks again once the opening (and its settle) is within the hold, to be held there.
      const atOpening = Math.ceil(
        Math.max(0, Math.max(0, s.msToOpening) + OPENING_SETTLE_MS - (s.waitMs ?? 0)),
      );
      // At once when the look will be held: the hold spreads nothing, and a spread sent the last second's joiners
      // past the opening, unheld, to learn their turn a second after the rest (the slowest buyers of a sell-out).
      if (atOpening === 0 && (s.waitMs ?? 0) > 0) return 0;
      return atOpening > MAX_POLL_MS ? MAX_POLL_MS + spread : atOpening + spread;
    }
    case 'placing':
      return s.heldBack ? HELD_BACK_POLL_MS + spread : MIN_POLL_MS;
    case 'waiting': {
      if (s.heldBack) return HELD_BACK_POLL_MS + spread;
      const turn = Math.ceil(((s.ahead + 1) * 1000) / Math.max(1, s.perSecond));
      return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, turn) + spread);
    }
  }
}

export interface QueueAudit {
  campaign_code: string;
  seed_commitment: string;
  secret: string;
  seed: string;
  /** the published order: rank, ticket, and whether the place was taken before opening */
  entries: Array<{ rank: number; ticket: string; pre_queue: boolean }>;
}

/** What an auditor checks, in order: the secret against its commitment, the seed, then the pre-queue order. */
export function verifyQueueAudit(a: QueueAudit): string[] {
  const problems: string[] = [];
  if (queueCommitment(a.secret) !== a.seed_commitment)
    problems.push('the secret does not hash to the published commitment');
  if (queueSeed(a.secret, a.campaign_code) !== a.seed)
    problems.push('the seed is not derived from the secret');
  const byRank = [...a.entries].sort((x, y) => x.rank - y.rank);
  const pre = byRank.filter((e) => e.pre_queue);
  if (byRank.slice(0, pre.length).some((e) => !e.pre_queue))
    problems.push('a later arrival is ranked before the pre-queue');
  const expected = shufflePreQueue(
    a.seed,
    pre.map((e) => e.ticket),
  );
  pre.forEach((e, i) => {
    if (expected[i] !== e.ticket)
      problems.push(`rank ${e.rank}: expected ${expected[i]}, published ${e.ticket}`);
  });
  return problems;
}
