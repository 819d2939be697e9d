// Queries on the instant sale's queue: join once, rank, look up a place, admission tokens issued and spent.
import { COMMIT_WITHOUT_FLUSH, type Db, type Trx } from '../knex.js';
import { cancelPicked } from './messageStatus.js';

export interface QueueRow {
  campaign_id: string;
  identity_id: string;
  ticket: string;
  joined_at: Date;
  pre: boolean;
  arrival: number | null;
  rank: number | null;
  contact_channel: string | null;
  contact_enc: string | null;
  lang: string;
  /** the region declared at the join, when the sale is limited to regions */
  region: string | null;
  turn_notified_at: Date | null;
  token_jti: string | null;
  token_expires_at: Date | null;
  token_used_at: Date | null;
}

export async function findPlace(db: Db | Trx, campaignId: string, identityId: string) {
  return (await db('instant_queue').where({ campaign_id: campaignId, identity_id: identityId }).first()) as
    | QueueRow
    | undefined;
}

/** The pre-queue's places (whose, and the ticket the shuffle orders by) */
export async function preQueuePlaces(
  trx: Trx,
  campaignId: string,
): Promise<Array<{ identity_id: string; ticket: string }>> {
  return trx('instant_queue').select('identity_id', 'ticket').where({ campaign_id: campaignId, pre: true });
}

/** A new admission token's jti, in SQL: a random nonce (the token carries the signature), the same for every issue. */
const NEW_JTI = "replace(gen_random_uuid()::text, '-', '')";

/**
 * Ranks 1..n for the shuffled pre-queue, and admission tokens (a random jti and the expiry, as issueTokens writes
 * them) for ranks up to `tokens.through`, in one statement; returns whose tokens were issued, and their jti.
 */
export async function rankPreQueue(
  trx: Trx,
  campaignId: string,
  ordered: string[],
  tokens: { through: number; expires: Date },
): Promise<Array<{ identity_id: string; token_jti: string }>> {
  if (ordered.length === 0) return [];
  const { rows } = await trx.raw(
    `WITH ranked AS (
       UPDATE instant_queue q SET rank = o.rank,
              token_jti = CASE WHEN o.rank <= :through THEN ${NEW_JTI} ELSE q.token_jti END,
              token_expires_at = CASE WHEN o.rank <= :through THEN :expires::timestamptz ELSE q.token_expires_at END
         FROM unnest(:tickets::text[]) WITH ORDINALITY AS o(ticket, rank)
        WHERE q.campaign_id = :campaign_id AND q.ticket = o.ticket
       RETURNING q.identity_id, q.token_jti, o.rank <= :through AS admitted)
     SELECT identity_id, token_jti FROM ranked WHERE admitted`,
    { tickets: ordered, campaign_id: campaignId, through: tokens.through, expires: tokens.expires },
  );
  return rows;
}

/** Everyone with a place in the room, ranked or not. */
export async function placesInRoom(db: Db | Trx, campaignId: string): Promise<number> {
  const row = await db('instant_queue').where({ campaign_id: campaignId }).count('* as n').first();
  return Number(row?.n ?? 0);
}

/**
 * Later arrivals get ranks after the pre-queue, in arrival order, up to `limit` at a time. A pre-queue join
 * whose statement began before opening but committed after the shuffle read the pre-queue becomes an arrival.
 * `returning`: the places ranked (the opening's pass hands them to the joins it holds); other passes skip them.
 */
export async function rankArrivals(
  trx: Trx,
  campaignId: string,
  limit: number,
  o: { returning?: boolean } = {},
): Promise<Array<{ identity_id: string; rank: number; ticket: string }>> {
  await trx.raw(
    `UPDATE instant_queue SET pre = false, arrival = nextval('instant_arrival_seq')
      WHERE campaign_id = ? AND pre AND rank IS NULL`,
    [campaignId],
  );
  const { rows } = await trx.raw(
    `WITH top AS (SELECT coalesce(max(rank), 0) AS r FROM instant_queue WHERE campaign_id = :campaign_id),
          next AS (SELECT identity_id, row_number() OVER (ORDER BY arrival) AS n
                     FROM instant_queue WHERE campaign_id = :campaign_id AND rank IS NULL AND NOT pre
                    ORDER BY arrival LIMIT :limit)
     UPDATE instant_queue q SET rank = top.r + next.n FROM next, top
      WHERE q.campaign_id = :campaign_id AND q.identity_id = next.identity_id
     ${o.returning ? 'RETURNING q.identity_id, q.rank::int AS rank, q.ticket' : ''}`,
    { campaign_id: campaignId, limit },
  );
  return o.returning ? rows : [];
}

/**
 * The places in the room by the region declared at the join (null: none declared, as places taken before the sale
 * checked its regions).
 */
export async function placesByRegion(
  db: Db | Trx,
  campaignId: string,
): Promise<Array<{ region: string | null; places: number }>> {
  const rows = (await db('instant_queue')
    .select('region')
    .count('* as places')
    .where({ campaign_id: campaignId })
    .groupBy('region')
    .orderBy('region')) as Array<{ region: string | null; places: string | number }>;
  return rows.map((r) => ({ region: r.region, places: Number(r.places) }));
}

/** Whether anyone has taken a place in the room (pre-queue included). */
export async function anyoneQueued(db: Db | Trx, campaignId: string): Promise<boolean> {
  return Boolean(await db('instant_queue').where({ campaign_id: campaignId }).first('identity_id'));
}

export async function queueLength(db: Db | Trx, campaignId: string): Promise<number> {
  const row = await db('instant_queue').where({ campaign_id: campaignId }).max('rank as n').first();
  return Number(row?.n ?? 0);
}

/**
 * Admission tokens outstanding now: issued, unspent, unexpired. Only ranked places hold tokens; saying so is what
 * lets this count use the live-token index, which per-person statements must not (migration 901600).
 */
export async function activeTokens(db: Db | Trx, campaignId: string, now: Date): Promise<number> {
  const row = await db('instant_queue')
    .where({ campaign_id: campaignId })
    .whereNotNull('rank')
    .whereNotNull('token_jti')
    .whereNull('token_used_at')
    .where('token_expires_at', '>', now)
    .count('* as n')
    .first();
  return Number(row?.n ?? 0);
}

/**
 * Up to `limit` places admitted (ranked up to `through`, their token expiring by `expiresBy`) and not yet told of
 * their turn, that have somewhere to be told, first in line first. Read without locks: the notices are written
 * while nothing is held (markTold locks).
 */
export async function untoldTurns(
  db: Db,
  campaignId: string,
  through: number,
  expiresBy: Date,
  limit: number,
) {
  return (await db('instant_queue')
    .where({ campaign_id: campaignId })
    .where('rank', '<=', through)
    .where('token_expires_at', '<=', expiresBy)
    .whereNotNull('contact_enc')
    .whereNull('turn_notified_at')
    .orderBy('rank')
    .limit(limit)) as QueueRow[];
}

/**
 * A place's position in its queue: its rank; not ranked yet, its arrival (a later arrival the passes did not reach);
 * neither (a pre-queue never shuffled), its ticket alone, whose order is as random as the shuffle's. A missing rank
 * or arrival comes after every given one.
 */
export interface QueuePosition {
  rank: number;
  arrival: number;
  ticket: string;
}

/** Before every place. */
export const QUEUE_START: QueuePosition = { rank: -1, arrival: -1, ticket: '' };
/** Stands for a missing rank or arrival: after every real one (sequence values, far below 2^53). */
const UNSET = Number.MAX_SAFE_INTEGER;
const POSITION = `coalesce(q.rank, ${UNSET}), coalesce(q.arrival, ${UNSET}), q.ticket`;

/**
 * The places of a sale still waiting for something it would have given them, with somewhere to be told: no
 * purchase (a held one is told on its own when the pass ends it, a paid one stands) and no turn spent; the next
 * `limit` after `after`, in queue order (QueuePosition), so that the head of the queue is told first. Each call
 * sorts the sale's waiting places (no index has this order); a cancel's job makes one call per batch.
 */
export async function waitingPlacesToTell(trx: Trx, campaignId: string, after: QueuePosition, limit: number) {
  const rows = (await trx('instant_queue as q')
    .where('q.campaign_id', campaignId)
    .whereRaw(`(${POSITION}) > (?::bigint, ?::bigint, ?)`, [after.rank, after.arrival, after.ticket])
    .whereNotNull('q.contact_enc')
    .whereNull('q.token_used_at')
    .whereNotExists((p) =>
      p
        .select(trx.raw('1'))
        .from('instant_purchases as p')
        .whereRaw('p.campaign_id = q.campaign_id AND p.identity_id = q.identity_id'),
    )
    .orderByRaw(POSITION)
    .limit(limit)
    .select('q.ticket', 'q.rank', 'q.arrival', 'q.contact_channel', 'q.contact_enc', 'q.lang')) as Array<
    Pick<QueueRow, 'ticket' | 'rank' | 'arrival' | 'contact_channel' | 'contact_enc' | 'lang'>
  >;
  return rows.map((r) => ({ ...r, position: positionOf(r) }));
}

const positionOf = (r: Pick<QueueRow, 'rank' | 'arrival' | 'ticket'>): QueuePosition => ({
  rank: r.rank ?? UNSET,
  arrival: r.arrival ?? UNSET,
  ticket: r.ticket,
});

/** The dedupe key of a place's turn notice (one a place, ever); cancelSpentTurns builds the same in SQL. */
export const turnNoticeKey = (campaignId: string, ticket: string) => `queue_turn:${campaignId}:${ticket}`;

/**
 * Cancels queued turn notices of places whose turn is spent: they bought at the page before their SMS came up at
 * the send rate, and "your turn to buy" after one's purchase reads as if it had failed. At most 1,000 a call.
 * Driven by the queued notices (none once sent or cancelled), each place found by its ticket's unique key: joined
 * on the key built from the place, the planner read every place for every notice (4,000 x 10,000 string builds,
 * 2.3-3.9 s a pass, in the sell-out).
 */
export async function cancelSpentTurns(db: Db, campaignId: string): Promise<number> {
  const pick = spentTurnsPick(campaignId);
  return cancelPicked(db, pick.sql, pick.bindings, 'turn_used');
}

/** The ids cancelSpentTurns cancels (at most 1,000), as a query of messages' ids: a test reads its plan. */
export function spentTurnsPick(campaignId: string) {
  return {
    sql: `SELECT m.id FROM messages m
       JOIN instant_queue q
         ON q.campaign_id = :campaignId AND q.ticket = substr(m.dedupe_key, length(:prefix::text) + 1)
      WHERE m.campaign_id = :campaignId AND m.kind = 'queue_turn' AND m.status = 'queued'
        AND m.in_doubt_since IS NULL -- as cancelPicked, but before the limit: in doubt, they would take its room
        AND starts_with(m.dedupe_key, :prefix::text) AND q.token_used_at IS NOT NULL
      LIMIT 1000`,
    bindings: { campaignId, prefix: turnNoticeKey(campaignId, '') },
  };
}

/**
 * Marks those of the places still untold as told, and returns them with whether their turn is spent (bought
 * meanwhile: marked, to be told nothing). A place a buy holds locked right now is skipped, told by a later call:
 * the telling never waits for a buy.
 */
export async function markTold(
  trx: Trx,
  campaignId: string,
  identityIds: string[],
  at: Date,
): Promise<Array<{ identity_id: string; spent: boolean }>> {
  const { rows } = await trx.raw(
    `UPDATE instant_queue q SET turn_notified_at = :at
      WHERE q.campaign_id = :campaignId AND q.identity_id IN (
        SELECT identity_id FROM instant_queue
         WHERE campaign_id = :campaignId AND identity_id = ANY(:ids::uuid[]) AND turn_notified_at IS NULL
         ORDER BY identity_id FOR UPDATE SKIP LOCKED)
     RETURNING q.identity_id, q.token_used_at IS NOT NULL AS spent`,
    { at, campaignId, ids: identityIds },
  );
  return rows;
}

/**
 * Admission tokens for the places a pass admitted (ranks from..through), in the pass's own statement: the turn
 * starts at admission (as the turn notice says), and the look that finds it only signs what is recorded here
 * instead of writing one row per look. A random jti each (a nonce: the token carries the signature). Returns whose
 * tokens were issued, and their jti.
 */
export async function issueTokens(
  trx: Trx,
  campaignId: string,
  from: number,
  through: number,
  expiresAt: Date,
): Promise<Array<{ identity_id: string; rank: number; ticket: string; token_jti: string }>> {
  const { rows } = await trx.raw(
    `UPDATE instant_queue SET token_jti = ${NEW_JTI}, token_expires_at = :expires
      WHERE campaign_id = :campaign_id AND rank > :from AND rank <= :through AND token_jti IS NULL
     RETURNING identity_id, rank::int AS rank, ticket, token_jti`,
    { campaign_id: campaignId, from, through, expires: expiresAt },
  );
  return rows;
}

/**
 * Issues a token only while none is spent or live past `expiredBy` (now, or a moment ahead to renew one about to
 * run out); returns false when another one stands. Committed without waiting for the flush: a token lost in a
 * crash cannot be spent (instant_buy checks its jti), and the next look issues another.
 */
export async function recordToken(
  db: Db | Trx,
  campaignId: string,
  identityId: string,
  jti: string,
  expiresAt: Date,
  expiredBy: Date,
): Promise<boolean> {
  const n = await db('instant_queue')
    .where({ campaign_id: campaignId, identity_id: identityId })
    .whereNull('token_used_at')
    .where((q) => q.whereNull('token_expires_at').orWhere('token_expires_at', '<=', expiredBy))
    .whereRaw(COMMIT_WITHOUT_FLUSH)
    .update({ token_jti: jti, token_expires_at: expiresAt });
  return n === 1;
}

/** Spends the token: once, and only the one issued last. */
export async function spendToken(trx: Trx, campaignId: string, identityId: string, jti: string, now: Date) {
  const n = await trx('instant_queue')
    .where({ campaign_id: campaignId, identity_id: identityId, token_jti: jti })
    .whereNull('token_used_at')
    .where('token_expires_at', '>', now)
    .update({ token_used_at: now });
  return n === 1;
}

/** The published order: rank and ticket (public names, nothing personal). */
export async function publishedQueue(db: Db, campaignId: string, limit: number, after: number) {
  return db('instant_queue')
    .select('rank', 'ticket', 'pre')
    .where({ campaign_id: campaignId })
    .whereNotNull('rank')
    .where('rank', '>', after)
    .orderBy('rank')
    .limit(limit);
}
