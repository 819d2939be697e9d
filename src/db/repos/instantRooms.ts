// Queries on an instant sale's waiting room: create once, read, reveal the seed, move the admission cursor.
import type { Campaign } from '../../domain/campaign.js';
import { CONTACT_FIELDS } from '../../domain/contact.js';
import type { Db, Trx } from '../knex.js';
import { saleClosed } from './campaigns.js';
import { holdsLive } from './instantPurchases.js';

export interface RoomRow {
  campaign_id: string;
  seed_commitment: string;
  secret_enc: string;
  secret: string | null;
  seed: string | null;
  prequeue_minutes: number;
  admit_per_second: number;
  max_active: number;
  token_seconds: number;
  hold_seconds: number;
  /** let in up to this much more than the stock left can serve (0: never more) */
  overbook_percent: number;
  pre_count: number | null;
  shuffled_at: Date | null;
  admitted_through: number;
  cursor_moved_at: Date | null;
  /** the last pass held admission back for stock */
  held_back: boolean;
  created_at: Date;
}

/** The rules an admin sets (roomRules.ts), as the room's columns. */
export type RoomRuleColumns =
  | 'prequeue_minutes'
  | 'admit_per_second'
  | 'max_active'
  | 'token_seconds'
  | 'hold_seconds'
  | 'overbook_percent';

const ROOM_RULE_COLUMNS: readonly RoomRuleColumns[] = [
  'prequeue_minutes',
  'admit_per_second',
  'max_active',
  'token_seconds',
  'hold_seconds',
  'overbook_percent',
];

export type NewRoom = Pick<
  RoomRow,
  'campaign_id' | 'seed_commitment' | 'secret_enc' | RoomRuleColumns | 'created_at'
>;

/** The first room made for a campaign stands: its commitment may already be public. */
export async function insertRoomOnce(db: Db | Trx, room: NewRoom): Promise<void> {
  await db('instant_rooms').insert(room).onConflict('campaign_id').ignore();
}

export async function findRoom(db: Db | Trx, campaignId: string): Promise<RoomRow | undefined> {
  return db('instant_rooms').where({ campaign_id: campaignId }).first();
}

/** The rules of these campaigns' rooms, those made (a sale's room is made when it is scheduled, or its rules set). */
export async function findRoomRules(
  db: Db | Trx,
  campaignIds: readonly string[],
): Promise<Array<Pick<RoomRow, 'campaign_id' | RoomRuleColumns>>> {
  if (campaignIds.length === 0) return [];
  return db('instant_rooms')
    .select('campaign_id', ...ROOM_RULE_COLUMNS)
    .whereIn('campaign_id', campaignIds);
}

export async function lockRoom(trx: Trx, campaignId: string): Promise<RoomRow | undefined> {
  return trx('instant_rooms').where({ campaign_id: campaignId }).forUpdate().first();
}

export async function updateRoomRules(
  trx: Trx,
  campaignId: string,
  rules: Pick<RoomRow, RoomRuleColumns>,
): Promise<void> {
  await trx('instant_rooms').where({ campaign_id: campaignId }).update(rules);
}

export async function markShuffled(
  trx: Trx,
  campaignId: string,
  reveal: { secret: string; seed: string; pre_count: number; at: Date; cursorFrom: Date },
): Promise<void> {
  await trx('instant_rooms').where({ campaign_id: campaignId }).whereNull('shuffled_at').update({
    secret: reveal.secret,
    seed: reveal.seed,
    pre_count: reveal.pre_count,
    shuffled_at: reveal.at,
    cursor_moved_at: reveal.cursorFrom,
  });
}

/** The pass's cursor, and whether places past it wait for stock to come back rather than for the rate. */
export async function moveCursor(
  trx: Trx,
  campaignId: string,
  through: number,
  at: Date,
  heldBack: boolean,
): Promise<void> {
  await trx('instant_rooms')
    .where({ campaign_id: campaignId })
    .update({ admitted_through: through, cursor_moved_at: at, held_back: heldBack });
}

/**
 * The instant sales a pass looks after: those not yet over, and any other while a purchase still holds stock (a
 * hold outliving a short claim window, or a cancelled sale's, whose open order the pass cancels). With each its
 * contact, which its turn notices name.
 */
export async function liveInstantCampaigns(db: Db, now: Date) {
  return db('campaigns as c')
    .select('id', 'code', 'state', 'title_ko', 'title_en', 'total', 'denomination', ...CONTACT_FIELDS)
    .select(db.raw('extract(epoch FROM opens_at - now()) * 1000 AS ms_to_opening'))
    .where({ mode: 'instant' })
    .where((q) =>
      q
        .where((live) =>
          live
            .whereIn('state', ['scheduled', 'open', 'closed', 'claiming'])
            .where('claim_closes_at', '>', now),
        )
        .orWhereExists((held) =>
          held
            .select(db.raw('1'))
            .from('instant_purchases as p')
            .whereRaw('p.campaign_id = c.id')
            .where('p.state', 'held'),
        ),
    )
    .orderBy(['opens_at', 'id']); // the pass takes them in a known order: sooner openings first
}

export interface SaleRow {
  id: string;
  code: string;
  mode: string;
  state: string;
  opens_at: Date;
  closes_at: Date;
  total: number;
  denomination: number;
  per_person_max: number;
  discount_bp: number;
  rules_version: number;
}

const SALE_COLUMNS = [
  'id',
  'code',
  'mode',
  'state',
  'opens_at',
  'closes_at',
  'total',
  'denomination',
  'per_person_max',
  'discount_bp',
  'rules_version',
] as const;

/** The campaign fields a sale needs. */
export async function findSale(db: Db | Trx, campaignId: string): Promise<SaleRow | undefined> {
  return db('campaigns').select(SALE_COLUMNS).where({ id: campaignId }).first();
}

/** Who may join a sale (its eligibility rules), the moments the rules are asked at, and the version they are of. */
export type SaleRules = Pick<
  Campaign,
  | 'id'
  | 'mode'
  | 'state'
  | 'rules_version'
  | 'eligibility'
  | 'verification_methods'
  | 'time_zone'
  | 'opens_at'
  | 'closes_at'
>;

export async function findSaleRules(db: Db, campaignId: string): Promise<SaleRules | undefined> {
  return db('campaigns')
    .select(
      'id',
      'mode',
      'state',
      'rules_version',
      'eligibility',
      'verification_methods',
      'time_zone',
      'opens_at',
      'closes_at',
    )
    .where({ id: campaignId })
    .first();
}

/** Whether the sale has closed by the database clock (saleClosed), as the join and the looks decide it. */
export async function isSaleClosed(db: Db, campaignId: string): Promise<boolean> {
  const row = await db('campaigns as c')
    .select(db.raw(`${saleClosed('c')} AS closed`))
    .where('c.id', campaignId)
    .first();
  return row?.closed === true;
}

/** The sale and how long its room holds stock for a buyer (null before the room is made): one read. */
export async function findSaleWithHold(
  db: Db,
  campaignId: string,
): Promise<(SaleRow & { hold_seconds: number | null }) | undefined> {
  return db('campaigns as c')
    .leftJoin('instant_rooms as r', 'r.campaign_id', 'c.id')
    .select(...SALE_COLUMNS.map((k) => `c.${k}`), 'r.hold_seconds')
    .where('c.id', campaignId)
    .first();
}

/**
 * Whether a look held for the pre-queue's shuffle should be answered now: the opening's pass has ranked it, or the
 * sale left the scheduled and open states (cancelled, taken back to a draft) and no shuffle will come.
 */
export async function shuffledOrOff(db: Db, campaignId: string): Promise<boolean> {
  const row = await db('campaigns as c')
    .leftJoin('instant_rooms as r', 'r.campaign_id', 'c.id')
    .where('c.id', campaignId)
    .where((q) => q.whereNotNull('r.shuffled_at').orWhereNotIn('c.state', ['scheduled', 'open']))
    .first('c.id');
  return row !== undefined;
}

/**
 * How far admission has come, for looks at a place already ranked (commands/instant/waitingLooks.ts): a shuffled
 * room's cursor and rate, the stock left and whether any of it is held (a sale sold out for good is said to those
 * still waiting).
 */
export async function findRoomCursor(db: Db, campaignId: string) {
  const row = (await db('instant_rooms as r')
    .select('r.admitted_through', 'r.admit_per_second', 'r.held_back')
    .select(
      db.raw(
        '(SELECT coalesce(sum(s.remaining), 0) FROM instant_stock s WHERE s.campaign_id = r.campaign_id) AS remaining',
      ),
    )
    .select(db.raw(`${holdsLive('r.campaign_id')} AS holds_live`))
    .select(db.raw(`${saleClosed('c')} AS closed`))
    .join('campaigns as c', 'c.id', 'r.campaign_id')
    .where('r.campaign_id', campaignId)
    .whereNotNull('r.shuffled_at')
    .first()) as
    | {
        admitted_through: number;
        admit_per_second: number;
        held_back: boolean;
        remaining: string;
        holds_live: boolean;
        closed: boolean;
      }
    | undefined;
  return row && { ...row, remaining: Number(row.remaining) };
}
