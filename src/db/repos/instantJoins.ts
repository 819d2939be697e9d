// Joining an instant sale's queue: one statement for the place and what its first answer needs, for one person
// or for many who arrive together (a sale's opening: one commit for them all instead of one flush each, which
// held the pool's connections while buyers and looks at one's place waited for one).
import { type Batched, batched } from '../batch.js';
import type { Db } from '../knex.js';
import { preparedStatement } from '../prepared.js';
import { saleClosed } from './campaigns.js';
import type { QueueRow } from './instantQueue.js';

export interface NewPlace {
  campaign_id: string;
  identity_id: string;
  ticket: string;
  contact_channel: string | null;
  contact_enc: string | null;
  lang: string;
  /** declared at the join when the sale is limited to regions (checked against them before); none else */
  region?: string | null;
  /**
   * the campaign's rules version the join was judged eligible by: a place is taken only while it stands. The
   * command always gives it; only a caller that judged nothing (a test, the simulator's ceiling) leaves it out.
   */
  rules_version?: number;
}

/** A new place, with what its first answer needs from the sale and its room (read in the same statement). */
export interface Joined {
  place: QueueRow;
  opens_at: Date;
  seed_commitment: string;
  shuffled_at: Date | null;
  /** the room's last pass held admission back for stock (advanceCursor): a new arrival's turn is not next pass */
  held_back: boolean;
  /** by the database clock, which opens the sale */
  ms_to_opening: number;
}

/**
 * Whether this is the pre-queue, and the arrival number, come from the database clock in the statement itself:
 * before opens_at a place is in the pre-queue; after it, an arrival number from a sequence, taken in the order
 * the joins came. Nothing for a person who already has a place (the caller reads it), a room not made, or a
 * pre-queue not open yet (the room's prequeue_minutes before opening), nor when the campaign's rules changed since
 * the join was judged eligible by them (its rules_version).
 */
const joinMany = preparedStatement(
  'instant_join_many',
  `WITH r AS (
     SELECT * FROM json_to_recordset(:places::json) AS r(n int, campaign_id uuid, identity_id uuid, ticket text,
       contact_channel text, contact_enc text, lang text, region text,
       rules_version int)
   ), placed AS (
     INSERT INTO instant_queue (campaign_id, identity_id, ticket, joined_at, pre, arrival,
                                contact_channel, contact_enc, lang, region)
     SELECT o.campaign_id, o.identity_id, o.ticket, now(), o.pre,
            CASE WHEN o.pre THEN NULL ELSE nextval('instant_arrival_seq') END, o.contact_channel, o.contact_enc, o.lang,
            o.region
       FROM (SELECT c.id AS campaign_id, r.identity_id, r.ticket, now() < c.opens_at AS pre, r.contact_channel,
                    r.contact_enc, r.lang, r.region
               FROM r JOIN campaigns c ON c.id = r.campaign_id JOIN instant_rooms ro ON ro.campaign_id = c.id
              WHERE c.mode = 'instant' AND NOT ${saleClosed('c')} AND (r.rules_version IS NULL OR c.rules_version = r.rules_version)
                AND now() >= c.opens_at - make_interval(mins => ro.prequeue_minutes)
              ORDER BY r.n) o
     ON CONFLICT DO NOTHING RETURNING *)
   SELECT r.n, to_json(placed) AS place, c.opens_at, ro.seed_commitment, ro.shuffled_at, ro.held_back,
          extract(epoch FROM c.opens_at - now()) * 1000 AS ms_to_opening
     FROM r LEFT JOIN placed ON placed.campaign_id = r.campaign_id AND placed.identity_id = r.identity_id
                            AND placed.ticket = r.ticket
     LEFT JOIN campaigns c ON c.id = r.campaign_id LEFT JOIN instant_rooms ro ON ro.campaign_id = r.campaign_id
    ORDER BY r.n`,
);

type JoinRow = Omit<Joined, 'place'> & { n: number; place: Record<string, unknown> | null };

/** Places for many people in one statement and one commit, answers in the order given; atomic. */
export async function joinRooms(db: Db, ps: NewPlace[]): Promise<Array<Joined | undefined>> {
  const { rows } = await joinMany<JoinRow>(db, { places: JSON.stringify(ps.map((p, n) => ({ ...p, n }))) });
  return rows.map((row) => {
    if (!row.place) return undefined;
    const place = { ...row.place, joined_at: new Date(row.place.joined_at as string) } as unknown as QueueRow;
    return { ...row, ms_to_opening: Number(row.ms_to_opening), place };
  });
}

export async function joinRoom(db: Db, p: NewPlace): Promise<Joined | undefined> {
  return (await joinRooms(db, [p]))[0];
}

/** A process's joins arriving together go as one statement (db/batch.ts). */
export function batchedJoins(db: Db, lanes: number): Batched<NewPlace, Joined | undefined> {
  return batched({ one: (p) => joinRoom(db, p), many: (ps) => joinRooms(db, ps), lanes, maxBatch: 200 });
}
