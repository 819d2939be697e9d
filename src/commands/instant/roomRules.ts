// The waiting room's rules, read and set by an admin while the sale is prepared. A draft's room is made when its
// rules are first saved (the scheduled sale then keeps it, commitment and all); once anyone may be waiting under
// the rules (the pre-queue has opened) they are fixed.
import { appendAudit } from '../../audit/log.js';
import type { Trx } from '../../db/knex.js';
import { findCampaign } from '../../db/repos/campaigns.js';
import { anyoneQueued, placesByRegion } from '../../db/repos/instantQueue.js';
import {
  findRoom,
  findRoomRules,
  lockRoom,
  type RoomRow,
  updateRoomRules,
} from '../../db/repos/instantRooms.js';
import { inTransaction } from '../../db/transaction.js';
import type { Campaign } from '../../domain/campaign.js';
import { DomainError } from '../../domain/errors.js';
import { type Actor, actorLabel, type CommandContext } from '../context.js';
import { DEFAULT_ROOM, type InstantContext } from './context.js';
import { insertRoom, type RoomRules } from './openRoom.js';

export const rulesOf = (r: RoomRules): RoomRules => ({
  prequeue_minutes: r.prequeue_minutes,
  admit_per_second: r.admit_per_second,
  max_active: r.max_active,
  token_seconds: r.token_seconds,
  hold_seconds: r.hold_seconds,
  overbook_percent: r.overbook_percent,
});

async function instantCampaign(db: CommandContext['db'] | Trx, campaignId: string): Promise<Campaign> {
  const c = await findCampaign(db, campaignId);
  if (c?.mode !== 'instant') throw new DomainError('not_found', 'No instant sale here');
  return c;
}

/** Whether the rules may still change: nobody can be waiting under them yet. */
async function editable(db: CommandContext['db'] | Trx, now: Date, c: Campaign, rules: RoomRules) {
  // A draft admits nobody; one that was scheduled and taken back may still hold the places taken meanwhile.
  if (c.state === 'draft') return !(await anyoneQueued(db, c.id));
  // open, over or cancelled: whatever the clocks say, its rules are what it ran (or would have run) under
  if (c.state !== 'scheduled') return false;
  // Joins open by the database's clock, this by the service's: a place already taken says the room is open
  // whatever this clock says.
  return now < prequeueOpensAt(c, rules) && !(await anyoneQueued(db, c.id));
}

const prequeueOpensAt = (c: Campaign, rules: RoomRules) =>
  new Date(c.opens_at.getTime() - rules.prequeue_minutes * 60_000);

/** One row of the places by declared region; `region` null counts the places that declared none. */
export interface RegionPlaces {
  region: string | null;
  places: number;
}

/**
 * For a sale limited to regions, its places by the region declared at the join: each of the sale's regions in its
 * order (none taken: 0), any other region a place holds (the list was changed after it was taken), and last the
 * places with none declared (taken before the sale checked its regions). Null for a sale without regions.
 */
async function regionPlaces(ctx: CommandContext, c: Campaign): Promise<RegionPlaces[] | null> {
  const regions = c.eligibility.regions ?? [];
  if (regions.length === 0) return null;
  const counted = new Map((await placesByRegion(ctx.db, c.id)).map((r) => [r.region, r.places]));
  const others = [...counted.keys()].filter((r): r is string => r !== null && !regions.includes(r));
  return [...regions, ...others, null].map((region) => ({ region, places: counted.get(region) ?? 0 }));
}

/**
 * The room's rules, or the ones a new room starts with when none is made yet, and (a sale limited to regions) its
 * places by declared region.
 */
export async function roomRules(ctx: CommandContext, campaignId: string) {
  const c = await instantCampaign(ctx.db, campaignId);
  const rules = rulesOf((await findRoom(ctx.db, c.id)) ?? DEFAULT_ROOM);
  return {
    rules,
    prequeue_opens_at: prequeueOpensAt(c, rules).toISOString(),
    editable: await editable(ctx.db, ctx.clock.now(), c, rules),
    places_by_region: await regionPlaces(ctx, c),
  };
}

/**
 * The rules residents are told before they queue (how long a turn and a hold last, when the pre-queue opens), for
 * each of these sales: its room's, or the ones a room starts with while none is made. One read for a whole list.
 */
export async function publicRoomRules(
  ctx: Pick<CommandContext, 'db'>,
  campaigns: readonly Pick<Campaign, 'id' | 'mode'>[],
): Promise<Map<string, RoomRules>> {
  const sales = campaigns.filter((c) => c.mode === 'instant').map((c) => c.id);
  const made = new Map((await findRoomRules(ctx.db, sales)).map((r) => [r.campaign_id, rulesOf(r)]));
  return new Map(sales.map((id) => [id, made.get(id) ?? rulesOf(DEFAULT_ROOM)]));
}

/** Room rules change only before the pre-queue opens: after that, people are already waiting under them. */
export async function setRoomRules(ctx: InstantContext, actor: Actor, campaignId: string, rules: RoomRules) {
  return inTransaction(ctx.db, async (trx) => {
    const c = await instantCampaign(trx, campaignId);
    let room: RoomRow | undefined = await lockRoom(trx, c.id);
    if (!room) {
      await insertRoom(ctx, trx, c.id, rules);
      room = (await lockRoom(trx, c.id))!;
    }
    if (!(await editable(trx, ctx.clock.now(), c, room))) {
      throw new DomainError('campaign_not_editable', 'The waiting room is already open; its rules are fixed');
    }
    await updateRoomRules(trx, c.id, rules);
    await appendAudit(trx, {
      at: ctx.clock.now(),
      actor: actorLabel(actor),
      action: 'instant.rules_changed',
      subject: `campaign:${c.id}`,
      data: rules,
    });
    return rules;
  });
}
