// The instant sales' per-second work, one transaction per sale with the room row locked (so several instances
// take turns): make the room, shuffle the pre-queue at opening and publish the seed, rank later arrivals, move
// the admission cursor at the set rate, tell people whose turn came, settle holds.
import { appendAudit } from '../../audit/log.js';
import type { Trx } from '../../db/knex.js';
import { lockCampaignState } from '../../db/repos/campaigns.js';
import { openConnections } from '../../db/repos/connections.js';
import {
  activeTokens,
  cancelSpentTurns,
  issueTokens,
  markTold,
  placesInRoom,
  preQueuePlaces,
  type QueueRow,
  queueLength,
  rankArrivals,
  rankPreQueue,
  turnNoticeKey,
  untoldTurns,
} from '../../db/repos/instantQueue.js';
import {
  findRoomCursor,
  findSale,
  liveInstantCampaigns,
  lockRoom,
  markShuffled,
  moveCursor,
  type RoomRow,
} from '../../db/repos/instantRooms.js';
import { insertStockOnce } from '../../db/repos/instantStock.js';
import { cancelQueued } from '../../db/repos/messageStatus.js';
import type { CampaignContact } from '../../domain/contact.js';
import { splitStock } from '../../domain/instant/purchase.js';
import {
  type AdmissionState,
  advanceCursor,
  heldBackByStock,
  queueSeed,
  shufflePreQueue,
  turnNoticeDueBy,
  turnsEnded,
} from '../../domain/instant/waitingRoom.js';
import { decryptText } from '../../identity/crypto.js';
import { enqueueNotices } from '../../notify/enqueue.js';
import type { NoticeRequest } from '../../notify/notice.js';
import { type InstantContext, STOCK_ROWS } from './context.js';
import { admissionRulesOf, unitsLeft } from './counter.js';
import { ensureRoom, type SaleCampaign } from './openRoom.js';
import { contactOf, placeNotice } from './placeNotice.js';
import { endCancelledHolds, settleHolds } from './releaseHolds.js';
import type { OpeningPlace } from './shuffleWaits.js';

/** How long before an opening the passes keep the pool's connections open (well within the pool's 30 s idle). */
const WARM_BEFORE_MS = 10_000;

interface LiveSale extends SaleCampaign, CampaignContact {
  state: string;
  /** by the database clock, which opens the sale */
  ms_to_opening: number;
  title_ko: string;
  title_en: string;
}

/** What one pass could not do, sale by sale: a part that failed, and places whose turn notice could not be written. */
export interface SalesPassReport {
  failures: Array<{
    campaignId: string;
    part: 'room' | 'connections' | 'admission' | 'telling' | 'cancelling' | 'holds';
    err: unknown;
  }>;
  /** places marked told without a notice: their sealed contact would not open (say, a changed DATA_KEY) */
  untellable: Array<{ campaignId: string; places: number }>;
  /** turn notices taken back unsent: the sale sold out for good or closed, or the place's turn was spent */
  cancelled: Array<{ campaignId: string; notices: number; reason: string }>;
}

/**
 * One pass over the live instant sales. A part that throws is reported and the rest goes on: a telling that fails
 * must not leave holds unsettled, nor one sale's fault stop the admission of the sales after it.
 */
export async function runInstantSales(ctx: InstantContext): Promise<SalesPassReport> {
  const report: SalesPassReport = { failures: [], untellable: [], cancelled: [] };
  const now = ctx.clock.now();
  for (const c of (await liveInstantCampaigns(ctx.db, now)) as LiveSale[]) {
    const part = async <T>(name: SalesPassReport['failures'][number]['part'], run: () => Promise<T>) => {
      try {
        return { ok: true as const, value: await run() };
      } catch (err) {
        report.failures.push({ campaignId: c.id, part: name, err });
        return { ok: false as const };
      }
    };
    if (c.state === 'cancelled') {
      // No room, turn or notice any more (the cancel withdrew those queued): only the holds, ended at once.
      await part('holds', () => endCancelledHolds(ctx, c.id));
      continue;
    }
    const roomMade = (await part('room', () => ensureRoom(ctx, c))).ok;
    if (c.state === 'scheduled') {
      // The rush's connections are opened before it, each pass of the last seconds, not made in it.
      if (ctx.openingConnections && c.ms_to_opening <= WARM_BEFORE_MS)
        await part('connections', () => openConnections(ctx.db, ctx.openingConnections!));
      continue;
    }
    const admitted =
      c.state === 'open' && roomMade
        ? await part('admission', () => ctx.db.transaction((trx) => admitNext(ctx, trx, c)))
        : undefined;
    // committed: the looks this process holds at the door are answered with what the pass gave them, and after the
    // opening the arrivals' joins and looks it holds with the ranks and turns of this pass
    if (admitted?.ok && admitted.value.opened) ctx.shuffles?.opened(c.id, admitted.value.opened);
    if (admitted?.ok && admitted.value.ranked) ctx.shuffles?.ranked(c.id, admitted.value.ranked);
    await part('telling', async () => {
      const room = await findRoomCursor(ctx.db, c.id);
      const ended = room && turnsEnded(room.remaining, room.holds_live, room.closed);
      if (ended) {
        // told now, or sent from the queue later, a turn would send people to a sale with nothing left to buy
        const cancelled = await cancelQueued(ctx.db, c.id, ended, { only: 'queue_turn' });
        if (cancelled > 0) report.cancelled.push({ campaignId: c.id, notices: cancelled, reason: ended });
      } else if (admitted?.ok) {
        // Told outside the admission's transaction (inside, an opening's notices held every look and buy waiting
        // for its commit), and only turns unused for a while. What a failure here leaves untold, the next pass tells.
        const { untellable } = await tellTurns(ctx, c, admitted.value.room);
        if (untellable > 0) report.untellable.push({ campaignId: c.id, places: untellable });
      }
    });
    // apart from the telling: a telling that fails must not leave bought places' notices to go out
    await part('cancelling', async () => {
      const spent = await cancelSpentTurns(ctx.db, c.id);
      if (spent > 0) report.cancelled.push({ campaignId: c.id, notices: spent, reason: 'turn_used' });
    });
    await part('holds', () => settleHolds(ctx, c.id));
  }
  return report;
}

/** Later arrivals ranked by one pass at most: bounds the work of one admission transaction, which holds the room. */
const ARRIVALS_A_PASS = 50_000;

/** What one admission leaves: the room; at the opening the pre-queue's places, after it the arrivals it ranked. */
interface Admitted {
  room: RoomRow;
  /** the opening's places, pre-queue and arrivals, as ranked and admitted (ShuffleWaits.opened) */
  opened?: Map<string, OpeningPlace>;
  /** a later pass's newly ranked arrivals and the turns it gave (ShuffleWaits.ranked) */
  ranked?: Map<string, OpeningPlace>;
}

/** Moves the admission cursor; returns the room as the pass left it and the places it ranked or let in. */
async function admitNext(ctx: InstantContext, trx: Trx, c: LiveSale): Promise<Admitted> {
  const now = ctx.clock.now();
  const room = (await lockRoom(trx, c.id))!;
  // The pass read the sale open; a cancel since stops it here (one committing meanwhile waits for this): no place is
  // ranked or let in any more, and the cancel's job, telling the queue by rank, skips no place ranked behind it.
  if ((await lockCampaignState(trx, c.id)) !== 'open') return { room };
  if (!room.shuffled_at) return admitAtOpening(ctx, trx, c, room, now);
  const arrivals = await rankArrivals(trx, c.id, ARRIVALS_A_PASS, { returning: true });
  const through = await stepCursor(trx, c, room, now, {
    admittedThrough: room.admitted_through,
    queued: await queueLength(trx, c.id),
    active: await activeTokens(trx, c.id, now),
    unitsLeft: await unitsLeft(trx, c.id, c.denomination),
  });
  const expires = tokenExpiry(room, now);
  const turns =
    through > room.admitted_through
      ? await issueTokens(trx, c.id, room.admitted_through, through, expires)
      : [];
  return { room: { ...room, admitted_through: through }, ranked: placesOf(arrivals, turns, expires) };
}

/** Places by person: those ranked, and those let in (with their turn), as a pass committed them. */
function placesOf(
  ranked: Array<{ identity_id: string; rank: number; ticket: string }>,
  turns: Array<{ identity_id: string; rank: number; ticket: string; token_jti: string }>,
  expires: Date,
): Map<string, OpeningPlace> {
  const places = new Map<string, OpeningPlace>(
    ranked.map((a) => [a.identity_id, { rank: a.rank, ticket: a.ticket }]),
  );
  for (const t of turns)
    places.set(t.identity_id, { rank: t.rank, ticket: t.ticket, turn: { jti: t.token_jti, expires } });
  return places;
}

/**
 * The opening's admission: the pre-queue shuffled, then its ranks written with the first step's tokens in one
 * statement (ranks, then tokens, were two passes over its rows: ~350 ms of an opening's pass on a busy database),
 * arrivals ranked after it. The step is reckoned before any rank is written, from everyone in the room.
 */
async function admitAtOpening(
  ctx: InstantContext,
  trx: Trx,
  c: LiveSale,
  before: RoomRow,
  now: Date,
): Promise<Admitted> {
  const { room, order, whose } = await shuffle(ctx, trx, c, before, now);
  const through = await stepCursor(trx, c, room, now, {
    admittedThrough: 0,
    // the pre-queue and the arrivals this pass ranks after it; no one holds a token before the opening
    queued: Math.min(await placesInRoom(trx, c.id), order.length + ARRIVALS_A_PASS),
    active: 0,
    unitsLeft: await unitsLeft(trx, c.id, c.denomination),
  });
  const expires = tokenExpiry(room, now);
  const issued = await rankPreQueue(trx, c.id, order, { through, expires });
  const arrivals = await rankArrivals(trx, c.id, ARRIVALS_A_PASS, { returning: true });
  const arrivalTurns =
    through > order.length ? await issueTokens(trx, c.id, order.length, through, expires) : [];
  // the places as this pass ranked them, the arrivals it found after the pre-queue too: the joins held for it
  const opened = new Map<string, OpeningPlace>(
    order.map((ticket, i) => [whose.get(ticket)!, { rank: i + 1, ticket }]),
  );
  for (const a of arrivals) opened.set(a.identity_id, { rank: a.rank, ticket: a.ticket });
  for (const t of [issued, arrivalTurns].flat()) {
    const place = opened.get(t.identity_id);
    if (place) place.turn = { jti: t.token_jti, expires };
  }
  return { room: { ...room, admitted_through: through }, opened };
}

const tokenExpiry = (room: RoomRow, now: Date) => new Date(now.getTime() + room.token_seconds * 1000);

/** Moves the cursor as far as the rate, the counter and the stock let it; returns where it now stands. */
async function stepCursor(
  trx: Trx,
  c: LiveSale,
  room: RoomRow,
  now: Date,
  state: AdmissionState,
): Promise<number> {
  const rules = admissionRulesOf(room);
  const since = now.getTime() - (room.cursor_moved_at ?? now).getTime();
  const through = advanceCursor(state, rules, since);
  const step = through - state.admittedThrough;
  const heldBack = heldBackByStock(
    { ...state, admittedThrough: through, active: state.active + step },
    rules,
  );
  // The time the step used up; what the rate allowed beyond that carries over at most one second.
  const used = Math.floor((step * 1000) / room.admit_per_second);
  const movedAt = new Date(Math.max((room.cursor_moved_at ?? now).getTime() + used, now.getTime() - 1000));
  await moveCursor(trx, c.id, through, movedAt, heldBack);
  return through;
}

/**
 * At opening: reveal the secret, derive the seed, order the pre-queue by it (its ranks are written by the caller),
 * lay out the stock and say so in the audit log. Returns the room as it now stands, the pre-queue's tickets in
 * order, and whose each ticket is.
 */
async function shuffle(
  ctx: InstantContext,
  trx: Trx,
  c: LiveSale,
  room: RoomRow,
  now: Date,
): Promise<{ room: RoomRow; order: string[]; whose: Map<string, string> }> {
  const secret = decryptText(ctx.secrets, room.secret_enc, `instant-room:${c.id}`);
  const seed = queueSeed(secret, c.code);
  const places = await preQueuePlaces(trx, c.id);
  const order = shufflePreQueue(
    seed,
    places.map((p) => p.ticket),
  );
  const whose = new Map(places.map((p) => [p.ticket, p.identity_id]));
  // The stock is laid out now, from the campaign as it stands: it could be edited until it opened.
  const sale = (await findSale(trx, c.id))!;
  await insertStockOnce(trx, c.id, splitStock(sale.total, sale.denomination, STOCK_ROWS));
  // The cursor counts from a second before: this same pass admits the opening second's worth (the pre-queue
  // was told to look just after opening), rather than leaving everyone at the door until the next pass.
  const cursorFrom = new Date(now.getTime() - 1000);
  await markShuffled(trx, c.id, { secret, seed, pre_count: order.length, at: now, cursorFrom });
  await appendAudit(trx, {
    at: now,
    actor: 'system:instant-sale',
    action: 'instant.queue_shuffled',
    subject: `campaign:${c.id}`,
    data: { seed_commitment: room.seed_commitment, secret, seed, pre_queue: order.length },
  });
  return { room: (await lockRoom(trx, c.id))!, order, whose };
}

/**
 * Places told of their turn a chunk at a time. Each chunk's notices are rendered and sealed before its transaction,
 * which then only marks the places and writes their messages: a buy that spends one of their tokens waits for two
 * statements, not for the rendering. With the places locked from the start of the chunk, every batch of buyers at
 * an opening held one of the chunk's 250 and waited for its commit, and the first orders came seconds late.
 */
const TELL_CHUNK = 250;

/**
 * Tells every admitted place not yet told (SMS or email) that its turn has come, once it has gone unused for
 * TURN_NOTICE_AFTER_MS; a place that bought meanwhile is marked told with nothing sent. A place whose contact will
 * not open while others' do is marked told without a notice and counted, so that it does not fail its chunk every
 * pass.
 */
async function tellTurns(ctx: InstantContext, c: LiveSale, room: RoomRow): Promise<{ untellable: number }> {
  const noticeOf = (p: QueueRow, to: string): NoticeRequest =>
    placeNotice(ctx, c, p, to, {
      kind: 'queue_turn',
      dedupeKey: turnNoticeKey(c.id, p.ticket),
      params: { minutes: Math.max(1, Math.round(room.token_seconds / 60)) },
    });
  let untellable = 0;
  for (;;) {
    const dueBy = turnNoticeDueBy(ctx.clock.now(), room.token_seconds);
    const places = await untoldTurns(ctx.db, c.id, room.admitted_through, dueBy, TELL_CHUNK);
    if (places.length === 0) break;
    // every contact opened, bought or not: a chunk that is mostly buyers still says whether the key is right
    const contacts = new Map(places.map((p) => [p.identity_id, contactOf(ctx, p)]));
    const unopened = [...contacts.values()].filter((to) => to === undefined).length;
    // none of a chunk opening is the key's fault (a changed DATA_KEY), not the rows': fail, and tell them once fixed
    if (unopened === places.length)
      throw new Error(
        `none of ${unopened} contacts of sale ${c.id} would open: is DATA_KEY the one they were sealed with?`,
      );
    // rendered for the places that have not bought, before the transaction
    const notices = new Map<string, NoticeRequest>();
    for (const p of places) {
      const to = contacts.get(p.identity_id);
      if (!p.token_used_at && to !== undefined) notices.set(p.identity_id, noticeOf(p, to));
    }
    const marked = await ctx.db.transaction(async (trx) => {
      // A cancel that committed since the pass read the sale withdrew the turn notices queued then, not these.
      if ((await lockCampaignState(trx, c.id)) === 'cancelled') return undefined;
      const told = await markTold(
        trx,
        c.id,
        places.map((p) => p.identity_id),
        ctx.clock.now(),
      );
      const due = told.filter((p) => !p.spent).map((p) => notices.get(p.identity_id));
      await enqueueNotices(
        trx,
        due.filter((n) => n !== undefined),
        ctx.secrets.dataKey,
      );
      return told;
    });
    if (!marked) break;
    untellable += marked.filter((p) => !p.spent && contacts.get(p.identity_id) === undefined).length;
    // a chunk all held by buys is left to the next pass rather than read again at once
    if (places.length < TELL_CHUNK || marked.length === 0) break;
  }
  return { untellable };
}
