// Join the waiting room, and where one stands in it: before opening, waiting (people ahead and an estimate),
// or admitted with a token to buy; sold out and closed are final. At one's turn a look signs the token the
// admission pass recorded; it writes only when that token ran out unspent (a new one, for a new turn's minutes,
// while the counter has room: renewTurn.ts), or, while everything left is held, when it would run out before the
// next look (the turn kept while waiting).

import { uniformOf } from '../../crypto/random.js';
import { type Joined, joinRoom, type NewPlace } from '../../db/repos/instantJoins.js';
import { findPlace, recordToken } from '../../db/repos/instantQueue.js';
import {
  findSale,
  findSaleRules,
  isSaleClosed,
  type SaleRow,
  type SaleRules,
} from '../../db/repos/instantRooms.js';
import { findStanding, type Standing, type StandingPlace } from '../../db/repos/instantStanding.js';
import type { VerificationMethod } from '../../domain/campaign.js';
import { checkEligibility, methodRefusal, notEligible } from '../../domain/eligibility.js';
import { DomainError } from '../../domain/errors.js';
import {
  HELD_BACK_POLL_MS,
  OPENING_SETTLE_MS,
  POLL_SPREAD_MS,
  type PollHint,
  pollAfterMs,
  stockState,
  waitEstimate,
} from '../../domain/instant/waitingRoom.js';
import { signAdmission } from './admissionToken.js';
import type { InstantContext } from './context.js';
import { ensureRoom } from './openRoom.js';
import { renewTurn } from './renewTurn.js';
import type { OpeningPlace } from './shuffleWaits.js';

export interface Joiner {
  identity_id: string;
  /** how the session's person verified: the sale may accept only some ways (its verification_methods) */
  method: VerificationMethod;
  /** from the verified session (YYYY-MM-DD), when known: a sale with an age or weekday rule needs it */
  birth_date: string | null;
  /** the district or city declared at the join (asked when the sale is limited to regions) */
  region?: string | undefined;
  contact_channel: 'sms' | 'email' | null;
  contact_enc: string | null;
  lang: 'ko' | 'en';
}

/** `poll_after_ms`: when to look again (the API also says it as Retry-After); absent when there is no need to. */
export type QueueStatus =
  | { state: 'pre_queue'; ticket: string; opens_at: string; seed_commitment: string; poll_after_ms: number }
  | { state: 'placing'; ticket: string; poll_after_ms: number }
  | {
      state: 'waiting';
      ticket: string;
      rank: number;
      ahead: number;
      wait_seconds: number;
      /** everything left is someone's to buy: the turn comes only if stock comes back, and wait_seconds is moot */
      held_back: boolean;
      /** the turn has come (and was told by SMS or email), but everything left is held: what comes back shows here */
      at_turn: boolean;
      poll_after_ms: number;
    }
  | { state: 'your_turn'; ticket: string; rank: number; admission_token: string; expires_at: string }
  | { state: 'purchased'; ticket: string; purchase_id: string }
  /** for good: nothing left and nothing held that could come back (stockState) */
  | { state: 'sold_out'; ticket: string }
  /** the sale closed with this place's turn not come or not used: final */
  | { state: 'closed'; ticket: string }
  /** the sale was cancelled, and this place has no paid purchase in it (an unpaid one was cancelled with it): final */
  | { state: 'cancelled'; ticket: string }
  | { state: 'turn_used'; ticket: string };

const pollAfter = (ctx: InstantContext, hint: PollHint) => pollAfterMs(hint, uniformOf(ctx.random));

/** The longest an arrival's join waits for the opening's pass, which takes well under a second. */
const OPENING_PASS_WAIT_MS = 3000;
/** A pre-queue join this close to the opening, by a client that will wait, is held for the shuffle like a look. */
const JOIN_HELD_WITHIN_MS = 1000;
/** The longest an arrival waits for a later pass to rank it: the passes come every second. */
const NEXT_PASS_WAIT_MS = 1500;

async function saleOf(ctx: InstantContext, campaignId: string): Promise<SaleRow> {
  const c = await findSale(ctx.db, campaignId);
  // A draft is still being prepared: not public, so no room or place is made for it.
  if (c?.mode !== 'instant' || c.state === 'draft')
    throw new DomainError('not_found', 'No instant sale here');
  return c;
}

/** The sale's rules: remembered by the process (no read of the join's own), read when it keeps none. */
async function rulesOf(ctx: InstantContext, campaignId: string): Promise<SaleRules> {
  const r = await (ctx.saleRules
    ? ctx.saleRules.of(ctx.db, campaignId, ctx.clock.now().getTime())
    : findSaleRules(ctx.db, campaignId));
  if (r?.mode !== 'instant' || r.state === 'draft')
    throw new DomainError('not_found', 'No instant sale here');
  return r;
}

/**
 * The place to take, once the joiner is judged by the sale's eligibility rules as an application is
 * (checkEligibility; not_eligible with the same details): the age and the birth-year weekday rule at the opening or
 * now, whichever is later, so a pre-queue join before a midnight opening is judged for the sale's day. The region
 * declared is kept on the place when the sale is limited to regions. A sale without rules asks nothing.
 */
function placeFor(ctx: InstantContext, rules: SaleRules, who: Joiner): NewPlace {
  const wrongMethod = methodRefusal(rules.verification_methods, who.method);
  if (wrongMethod) throw wrongMethod;
  const now = ctx.clock.now();
  const at = new Date(Math.max(rules.opens_at.getTime(), now.getTime()));
  const refusal = checkEligibility(
    rules,
    { birth_date: who.birth_date ?? undefined, region: who.region },
    at,
  );
  if (refusal) throw notEligible(refusal, rules);
  return {
    campaign_id: rules.id,
    identity_id: who.identity_id,
    ticket: ctx.random.bytes(9).toString('base64url'),
    contact_channel: who.contact_channel,
    contact_enc: who.contact_enc,
    lang: who.lang,
    region: (rules.eligibility.regions ?? []).length > 0 ? (who.region ?? null) : null,
    rules_version: rules.rules_version,
  };
}

/**
 * Takes a place once; a second join returns the same place. Refused before the pre-queue opens and after
 * closing, and to one the sale's rules do not let buy (placeFor): one who already has a place is answered with it.
 * The common join is one statement (the place, and what its first answer needs), with the sale's rules as the
 * process remembers them; the sale and its room are looked up only when it took no place.
 */
export async function joinQueue(
  ctx: InstantContext,
  campaignId: string,
  who: Joiner,
  waitMs = 0,
): Promise<QueueStatus> {
  let place: NewPlace;
  try {
    place = placeFor(ctx, await rulesOf(ctx, campaignId), who);
  } catch (err) {
    // coming back to a place one holds is not refused (the rule's day may have passed since it was taken)
    if (
      err instanceof DomainError &&
      err.code === 'not_eligible' &&
      (await findPlace(ctx.db, campaignId, who.identity_id))
    )
      return queueStatus(ctx, campaignId, who.identity_id, waitMs);
    throw err;
  }
  const joined = await (ctx.joins ? ctx.joins(place) : joinRoom(ctx.db, place));
  if (joined) return firstAnswer(ctx, campaignId, who.identity_id, joined, waitMs);
  const c = await saleOf(ctx, campaignId);
  if (c.rules_version !== place.rules_version) {
    // the rules were edited since the process read them (a scheduled sale's pre-queue): judged again by these
    ctx.saleRules?.forget(campaignId);
    return joinQueue(ctx, campaignId, who, waitMs);
  }
  const room = await ensureRoom(ctx, c); // made by the reconciler; made here if a join comes first
  const late = await joinRoom(ctx.db, place);
  if (late) return firstAnswer(ctx, campaignId, who.identity_id, late, waitMs);
  if (!(await findPlace(ctx.db, c.id, who.identity_id))) {
    // by the database's clock, as the join's statement: a join refused for the close is not told "not open yet"
    if (await isSaleClosed(ctx.db, c.id)) throw new DomainError('campaign_closed', 'The sale has closed');
    throw new DomainError('campaign_not_open', 'The waiting room is not open yet', {
      details: { prequeue_opens_at: new Date(c.opens_at.getTime() - room.prequeue_minutes * 60_000) },
    });
  }
  return queueStatus(ctx, campaignId, who.identity_id);
}

function preQueue(
  ctx: InstantContext,
  ticket: string,
  sale: { opens_at: Date; seed_commitment: string; ms_to_opening: number },
  waitMs: number,
): QueueStatus {
  // a client that will wait is told to come back once the opening is within its wait, where this process holds it
  const holdMs = ctx.shuffles ? waitMs : 0;
  return {
    state: 'pre_queue',
    ticket,
    opens_at: new Date(sale.opens_at).toISOString(),
    seed_commitment: sale.seed_commitment,
    poll_after_ms: pollAfter(ctx, { state: 'pre_queue', msToOpening: sale.ms_to_opening, waitMs: holdMs }),
  };
}

/**
 * A new place's answer: the pre-queue before the shuffle; an arrival in the opening moment, when the client will
 * wait, held for the opening's pass; otherwise being placed (ranked at the next pass), and looked at again then, or
 * a few seconds later when the stock left is all with those ahead (held back): an arrival in a rush would
 * otherwise look once more only to be told to wait.
 */
async function firstAnswer(
  ctx: InstantContext,
  campaignId: string,
  identityId: string,
  j: Joined,
  waitMs: number,
): Promise<QueueStatus> {
  const ticket = j.place.ticket;
  if (!j.shuffled_at && j.place.pre) {
    // In the last second the join is held with the looks: answered, its look would come in the opening's rush (a
    // slow phone's after the shuffle, a round trip and the opening's busiest second later than the rest).
    if (!ctx.shuffles || waitMs <= 0 || j.ms_to_opening > JOIN_HELD_WITHIN_MS)
      return preQueue(ctx, ticket, j, waitMs);
    return afterShuffle(
      ctx,
      campaignId,
      identityId,
      await ctx.shuffles.until(ctx.db, campaignId, identityId, waitMs),
    );
  }
  if (!j.shuffled_at && ctx.shuffles && waitMs > 0) {
    // Joined after the opening, before its pass shuffled: that pass ranks the arrivals it finds after the pre-queue
    // and lets them in as the rate, cap and stock allow, so this one learns its turn (or number) from it, not a
    // second on; one it did not find reads its place (placing, as before).
    const opened = await ctx.shuffles.until(
      ctx.db,
      campaignId,
      identityId,
      Math.min(waitMs, OPENING_PASS_WAIT_MS),
    );
    return afterShuffle(ctx, campaignId, identityId, opened);
  }
  const heldBack = j.held_back; // set only by the admission passes, which begin with the shuffle
  if (waitsForNextPass(ctx, heldBack, waitMs)) return rankedByNextPass(ctx, campaignId, identityId, waitMs);
  return { state: 'placing', ticket, poll_after_ms: pollAfter(ctx, { state: 'placing', heldBack }) };
}

/**
 * An unranked arrival waits for the next pass when the client will wait, this process runs the passes, and the
 * room is not held back (held back, its turn would not come at that pass anyway, and it looks again seconds later).
 */
function waitsForNextPass(ctx: InstantContext, heldBack: boolean, waitMs: number): boolean {
  return waitMs > 0 && !heldBack && Boolean(ctx.shuffles?.handsArrivals);
}

/** Held for the next pass of this process: its turn or rank as that pass gave it; read as it stands if none came. */
async function rankedByNextPass(
  ctx: InstantContext,
  campaignId: string,
  identityId: string,
  waitMs: number,
): Promise<QueueStatus> {
  const place = await ctx.shuffles!.untilRanked(campaignId, identityId, Math.min(waitMs, NEXT_PASS_WAIT_MS));
  return afterShuffle(ctx, campaignId, identityId, place);
}

/**
 * Where one stands. `waitMs` (the client's `Prefer: wait`, 0: none): a pre-queue place whose opening comes within
 * it is answered once the shuffle has ranked it (its turn, or its rank), or at the end of the wait as it stands.
 */
export async function queueStatus(
  ctx: InstantContext,
  campaignId: string,
  identityId: string,
  waitMs = 0,
): Promise<QueueStatus> {
  const known = await ctx.looks?.waiting(ctx.db, campaignId, identityId, ctx.clock.now().getTime());
  if (known) {
    const stock = stockState(known.remaining, known.holds_live);
    if (stock === 'sold_out') return soldOut(known.ticket);
    return waiting(ctx, known.ticket, known.rank, known, stock === 'held');
  }
  const s = await (ctx.standings
    ? ctx.standings({ campaign_id: campaignId, identity_id: identityId })
    : findStanding(ctx.db, campaignId, identityId));
  if (s?.mode !== 'instant') throw new DomainError('not_found', 'No instant sale here');
  if (!s.place || !s.room) throw new DomainError('not_found', 'You have no place in this queue yet');
  const status = await statusOf(ctx, campaignId, s as Placed, waitMs);
  if (!ctx.shuffles || !waitsForShuffle(status, s.ms_to_opening, waitMs)) return status;
  return afterShuffle(
    ctx,
    campaignId,
    identityId,
    await ctx.shuffles.until(ctx.db, campaignId, identityId, waitMs),
  );
}

/** A held place's answer once the wait ends: the turn or rank this process's pass gave it, or read as it stands. */
function afterShuffle(
  ctx: InstantContext,
  campaignId: string,
  identityId: string,
  opened: OpeningPlace | undefined,
): Promise<QueueStatus> {
  // Ranked by this process's pass: admitted, the turn it issued; otherwise where it stands, from the cursor.
  if (opened?.turn) return yourTurn(ctx, campaignId, identityId, opened, opened.turn);
  if (opened) ctx.looks?.remember(campaignId, identityId, opened);
  return queueStatus(ctx, campaignId, identityId); // no wait again: the shuffle came, or the wait is over
}

/** A pre-queue place's look waits when asked to and the opening's pass should come within the wait. */
function waitsForShuffle(status: QueueStatus, msToOpening: number, waitMs: number): boolean {
  return status.state === 'pre_queue' && waitMs > 0 && msToOpening + OPENING_SETTLE_MS <= waitMs;
}

type Placed = Standing & { place: StandingPlace; room: NonNullable<Standing['room']> };

async function statusOf(
  ctx: InstantContext,
  campaignId: string,
  s: Placed,
  waitMs: number,
): Promise<QueueStatus> {
  const { room, place: p } = s;
  const ticket = p.ticket;
  // Only an admitted place buys or spends its turn, so these two come first: after the close they still stand.
  if (s.live_purchase) return { state: 'purchased', ticket, purchase_id: s.live_purchase };
  if (s.cancelled) return { state: 'cancelled', ticket };
  if (p.token_used_at) return { state: 'turn_used', ticket };
  const stock = stockState(s.remaining, s.holds_live);
  // After the close no turn comes any more.
  if (s.closed) return stock === 'sold_out' ? soldOut(ticket) : { state: 'closed', ticket };
  if (!room.shuffled_at && p.pre)
    return preQueue(ctx, ticket, { ...s, seed_commitment: room.seed_commitment }, waitMs);
  if (p.rank === null) {
    if (waitsForNextPass(ctx, room.held_back, waitMs))
      return rankedByNextPass(ctx, campaignId, p.identity_id, waitMs);
    return { state: 'placing', ticket, poll_after_ms: pollAfter(ctx, { state: 'placing' }) };
  }
  const rank = Number(p.rank);
  if (rank > room.admitted_through) {
    ctx.looks?.remember(campaignId, p.identity_id, { rank, ticket });
    // Sold out for good is said to those still waiting at once, not at their turn.
    if (stock === 'sold_out') return soldOut(ticket);
    return waiting(ctx, ticket, rank, room, stock === 'held');
  }
  if (stock === 'sold_out') return soldOut(ticket);
  if (stock === 'held') {
    // At one's turn with everything left held by others: wait for what comes back, first in line for it. The turn
    // is kept live until the next look, so the admission pass still counts it and what comes back is this place's.
    const untilNextLook = HELD_BACK_POLL_MS + POLL_SPREAD_MS;
    if ((await liveTurn(ctx, campaignId, room, p, { keepMs: untilNextLook, lapsed: 'keep' })) === 'taken')
      return queueStatus(ctx, campaignId, p.identity_id);
    return waiting(ctx, ticket, rank, room, true);
  }
  return admit(ctx, campaignId, room, p, rank);
}

function soldOut(ticket: string): QueueStatus {
  return { state: 'sold_out', ticket };
}

/** `allHeld`: everything left is in buyers' holds, so the place waits for stock to come back whatever the rate. */
function waiting(
  ctx: InstantContext,
  ticket: string,
  rank: number,
  room: { admitted_through: number; admit_per_second: number; held_back: boolean },
  allHeld: boolean,
): QueueStatus {
  const perSecond = room.admit_per_second;
  const { ahead, seconds } = waitEstimate(rank, room.admitted_through, perSecond);
  const heldBack = room.held_back || allHeld;
  const poll_after_ms = pollAfter(ctx, { state: 'waiting', ahead, perSecond, heldBack });
  const at_turn = rank <= room.admitted_through;
  return {
    state: 'waiting',
    ticket,
    rank,
    ahead,
    wait_seconds: seconds,
    held_back: heldBack,
    at_turn,
    poll_after_ms,
  };
}

/**
 * This turn's token: the one the admission pass issued (same jti and expiry), or a new one recorded when none
 * stands or it runs out within `keepMs`. A turn gone or run out, given again, is one more buyer at the counter:
 * `lapsed: 'if_room'` gives it only while the cap and the stock leave room (renewTurn.ts); `'keep'` gives it
 * anyway, for a place waiting at its turn while everything left is held (nobody new is let in then, and what
 * comes back is its). `taken`: another request recorded one a moment ago (look again); `full`: no room now.
 */
async function liveTurn(
  ctx: InstantContext,
  campaignId: string,
  room: Placed['room'],
  p: StandingPlace,
  o: { keepMs?: number; lapsed: 'if_room' | 'keep' },
): Promise<{ jti: string; expires: Date } | 'taken' | 'full'> {
  const now = ctx.clock.now();
  const keepUntil = new Date(now.getTime() + (o.keepMs ?? 0));
  const standing = p.token_jti ? p.token_expires_at : null; // when the token it holds runs out, if it holds one
  if (standing && standing > keepUntil) return { jti: p.token_jti!, expires: standing };
  const turn = {
    jti: ctx.random.bytes(12).toString('base64url'),
    expires: new Date(now.getTime() + room.token_seconds * 1000),
  };
  if (!(standing && standing > now) && o.lapsed === 'if_room') {
    const renewal = await renewTurn(ctx, campaignId, p.identity_id, turn);
    return renewal === 'renewed' ? turn : renewal;
  }
  return (await recordToken(ctx.db, campaignId, p.identity_id, turn.jti, turn.expires, keepUntil))
    ? turn
    : 'taken';
}

/** The turn's admission token, signed. */
async function admit(
  ctx: InstantContext,
  campaignId: string,
  room: Placed['room'],
  p: StandingPlace,
  rank: number,
): Promise<QueueStatus> {
  const turn = await liveTurn(ctx, campaignId, room, p, { lapsed: 'if_room' });
  if (turn === 'taken') return queueStatus(ctx, campaignId, p.identity_id); // another request issued it a moment ago
  // at one's turn, but the counter is full: wait there, first in line for the room that frees
  if (turn === 'full') return waiting(ctx, p.ticket, rank, room, false);
  return yourTurn(ctx, campaignId, p.identity_id, { ticket: p.ticket, rank }, turn);
}

/** The answer at one's turn: the turn's token, signed. */
async function yourTurn(
  ctx: InstantContext,
  campaignId: string,
  identityId: string,
  place: { ticket: string; rank: number },
  turn: { jti: string; expires: Date },
): Promise<QueueStatus> {
  const token = await signAdmission(
    ctx.secrets.sessionSecret,
    { sub: identityId, cid: campaignId, jti: turn.jti, exp: Math.floor(turn.expires.getTime() / 1000) },
    ctx.clock.now(),
    ctx.admissions,
  );
  return {
    state: 'your_turn',
    ticket: place.ticket,
    rank: place.rank,
    admission_token: token,
    expires_at: turn.expires.toISOString(),
  };
}
