// A look at one's place in an instant sale: the sale (closed or not), its room, the place, a live purchase, the
// stock left and whether any is held, in one read, for one person or for many who look together. At an opening
// thousands look at once (the pre-queue collecting its tokens): one statement for a batch of them instead of a
// round trip, a plan and an execution each.
import { type Batched, batched } from '../batch.js';
import type { Db } from '../knex.js';
import { byOrdinal } from '../ordinal.js';
import { plannedEachRun, preparedStatement } from '../prepared.js';
import { saleClosed } from './campaigns.js';
import { holdsLive } from './instantPurchases.js';
import type { QueueRow } from './instantQueue.js';

/** What of a place a look answers from (not its contact, which a look never says) */
export type StandingPlace = Pick<
  QueueRow,
  'identity_id' | 'ticket' | 'pre' | 'rank' | 'token_jti' | 'token_expires_at' | 'token_used_at'
>;

export interface Standing {
  mode: string;
  opens_at: Date;
  /** by the database clock, which opens the sale */
  ms_to_opening: number;
  /** the sale has closed (by the database clock) or ended otherwise: nobody's turn comes any more */
  closed: boolean;
  /** the sale was cancelled: what was paid stands, nothing else does */
  cancelled: boolean;
  /** null before the waiting room is made */
  room: {
    seed_commitment: string;
    shuffled_at: Date | null;
    admitted_through: number;
    admit_per_second: number;
    token_seconds: number;
    /** places past the cursor wait for stock to come back (advanceCursor), not for the rate */
    held_back: boolean;
  } | null;
  place: StandingPlace | null;
  /** the public id of the person's held or paid purchase */
  live_purchase: string | null;
  remaining: number;
  /** some of the stock is in a buyer's hold, and comes back if the payment fails or the hold runs out */
  holds_live: boolean;
}

/** Whose place, in which sale */
export interface Look {
  campaign_id: string;
  identity_id: string;
}

// Plain columns, not json_build_object/to_json: no json built per row in the database and parsed again here,
// and none of the place's other columns (its sealed contact) read and sent for nothing.
const COLUMNS = `c.mode, c.opens_at, extract(epoch FROM c.opens_at - now()) * 1000 AS ms_to_opening,
  ${saleClosed('c')} AS closed, c.state = 'cancelled' AS cancelled,
  r.campaign_id AS room_of, r.seed_commitment, r.shuffled_at, r.admitted_through, r.admit_per_second,
  r.token_seconds, r.held_back, q.identity_id, q.ticket, q.pre, q.rank, q.token_jti, q.token_expires_at, q.token_used_at`;

type Row = Omit<Standing, 'room' | 'place'> &
  NonNullable<Standing['room']> & { [K in keyof StandingPlace]: StandingPlace[K] | null } & {
    room_of: string | null;
  };

function standingOf(row: Row): Standing {
  return {
    mode: row.mode,
    opens_at: row.opens_at,
    ms_to_opening: Number(row.ms_to_opening),
    closed: row.closed,
    cancelled: row.cancelled,
    room:
      row.room_of === null
        ? null
        : {
            seed_commitment: row.seed_commitment,
            shuffled_at: row.shuffled_at,
            admitted_through: row.admitted_through,
            admit_per_second: row.admit_per_second,
            token_seconds: row.token_seconds,
            held_back: row.held_back,
          },
    place:
      row.identity_id === null
        ? null
        : {
            identity_id: row.identity_id,
            ticket: row.ticket!,
            pre: row.pre!,
            rank: row.rank,
            token_jti: row.token_jti,
            token_expires_at: row.token_expires_at,
            token_used_at: row.token_used_at,
          },
    live_purchase: row.live_purchase,
    remaining: Number(row.remaining),
    holds_live: row.holds_live,
  };
}

/** One look: the sale, its room and the place by their keys, a live purchase, the stock and its holds by subqueries. */
const lookOf = (campaignId: string, identityId: string) =>
  `SELECT ${COLUMNS},
          (SELECT p.public_id FROM instant_purchases p
            WHERE p.campaign_id = c.id AND p.identity_id = ${identityId} AND p.state IN ('held', 'paid')
            LIMIT 1) AS live_purchase,
          (SELECT coalesce(sum(s.remaining), 0) FROM instant_stock s WHERE s.campaign_id = c.id) AS remaining,
          ${holdsLive('c.id')} AS holds_live
     FROM campaigns c
     LEFT JOIN instant_rooms r ON r.campaign_id = c.id
     LEFT JOIN instant_queue q ON q.campaign_id = c.id AND q.identity_id = ${identityId}
    WHERE c.id = ${campaignId}`;

/** Prepared (planned once a connection, not once a look): four tables and three subqueries. */
const standing = preparedStatement('instant_standing', lookOf(':campaign_id', ':identity_id'));

/**
 * Many looks in one statement, the n-th row answering the n-th look, each read as one look is (OFFSET 0 keeps
 * the planner from turning it into joins over whole tables). Planned on every run: a plan made once a connection
 * before the opening, while instant_purchases was empty, scanned it whole for every look of a batch (a simulated
 * opening: 127,000 buffers a statement, 45 ms); a batch's plan costs a fraction of a look each.
 */
const standings = plannedEachRun(
  `SELECT a.n, s.* FROM unnest(:campaign_ids::uuid[], :identity_ids::uuid[]) WITH ORDINALITY
                          AS a(campaign_id, identity_id, n)
     CROSS JOIN LATERAL (${lookOf('a.campaign_id', 'a.identity_id')} OFFSET 0) s`,
);

/** Everything a look at one's place needs; undefined when there is no such campaign. */
export async function findStanding(db: Db, campaignId: string, identityId: string) {
  const { rows } = await standing<Row>(db, { campaign_id: campaignId, identity_id: identityId });
  return rows[0] && standingOf(rows[0]);
}

/** findStanding for each look, in one statement, answers in the order given. */
export async function findStandings(db: Db, looks: Look[]): Promise<Array<Standing | undefined>> {
  const { rows } = await standings<Row & { n: number }>(db, {
    campaign_ids: looks.map((l) => l.campaign_id),
    identity_ids: looks.map((l) => l.identity_id),
  });
  return byOrdinal<Row>(rows, looks.length).map((row) => row && standingOf(row));
}

/** A process's looks arriving together go as one statement (db/batch.ts); a lone look as findStanding. */
export function batchedStandings(db: Db, lanes: number): Batched<Look, Standing | undefined> {
  return batched({
    one: (l) => findStanding(db, l.campaign_id, l.identity_id),
    many: (ls) => findStandings(db, ls),
    lanes,
    maxBatch: 200,
  });
}
