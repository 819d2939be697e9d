// After the draw: an admin marks an award collected (exactly once), and awards not collected by their
// deadline expire and pass down the waitlist in rank order, each step audited and notified.
//
// The pass-down rule (campaign.unclaimed_policy = 'pass_down'): an expired award (its amount, site and slot)
// goes to the first applicant still on the waitlist, in rank order, who named that site among their
// preferences (anyone, for a campaign without sites). They receive min(the freed amount, their own request
// capped at the per-person limit, in whole denominations); anything left returns to the city. Their deadline
// is the claim period counted from the promotion, never past the end of the claim window. After the claim
// window closes nothing is passed down. With 'return' an expired award simply returns to the city.
//
// Where and when a promoted applicant collects (goods): the freed units are at the expired award's site, so
// the promotion stays at that site. As draw-v1 places a winner (the site's first slot in time order with room
// for the amount), the promoted applicant gets the site's first slot that is still ahead (it ends at least
// PROMOTION_LEAD_MS after the promotion, time to read the notice and go) and has room; the expired award's own
// slot, if still ahead, has room again. Their deadline is then at least the end of that slot. When no slot of
// the site is ahead with room (the usual case once the claim period outlasts the slots), they get no slot:
// they may collect at the site any time it is open until their deadline, and the notice and the audit entry
// (slot "", slot_rule "any_time_until_deadline", freed_slot) say exactly that.
//
// No goods award expires before its pickup slot has ended: when the claim period runs out first (slots set
// later than claim_opens_at + claim_period_hours), the deadline moves to the slot's end, never past the end of
// the claim window, and the move is audited (award.deadline_extended).
import { appendAudit } from '../audit/log.js';
import type { Trx } from '../db/knex.js';
import {
  type AwardRow,
  lockAward,
  lockExpiredAwards,
  lockNextWaitlisted,
  markCollected,
  markExpired,
  markPromoted,
  setClaimDeadline,
} from '../db/repos/awards.js';
import { moveDrawCounts, type StatusMove } from '../db/repos/drawCounts.js';
import { lockCampaignPromotions, type SlotRoom, slotRoomsAhead } from '../db/repos/promotion.js';
import type { Campaign } from '../domain/campaign.js';
import { DomainError } from '../domain/errors.js';
import {
  claimKeyOf,
  heldOf,
  loadPlaces,
  type NoticeEnv,
  type PlaceInfo,
  prizeText,
  type Recipient,
  sendAwardNotice,
  whereAndWhen,
} from './awardNotices.js';
import { claimCodeFor, sameClaimCode } from './claimCodes.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';
import { claimDeadline } from './drawCampaign.js';
import { scheduleReminders } from './reminders.js';

/** A slot counts as still ahead for a promotion when it ends at least this long after the promotion. */
export const PROMOTION_LEAD_MS = 2 * 3600_000;

export type AwardContext = CommandContext & NoticeEnv;

async function recipientOf(trx: Trx, campaignId: string, publicId: string): Promise<Recipient> {
  const { rows } = await trx.raw(
    `SELECT ap.id AS application_id, r.public_id, ap.contact_channel, ap.contact_enc, ap.lang
       FROM roster_entries r JOIN applications ap ON ap.id = r.application_id
      WHERE r.campaign_id = ? AND r.public_id = ?`,
    [campaignId, publicId],
  );
  if (!rows[0]) throw new Error(`no roster entry ${publicId} in campaign ${campaignId}`);
  return rows[0];
}

export interface Collected {
  public_id: string;
  amount: number;
  site: string;
  slot: string;
  collected_at: Date;
}

/** Marks a held award collected. With a claim code, the code must match. A second attempt is an error. */
export async function collectAward(
  ctx: AwardContext,
  actor: Actor,
  campaignId: string,
  publicId: string,
  code?: string,
): Promise<Collected> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (trx) => {
    const a = await lockAward(trx, campaignId, publicId);
    if (!a) throw new DomainError('not_found', 'No such award in this campaign');
    if (a.status === 'collected') {
      throw new DomainError('award_already_collected', 'This award was already collected', {
        details: { collected_at: a.collected_at, collected_by: a.collected_by },
      });
    }
    if (a.status !== 'won' && a.status !== 'promoted') {
      throw new DomainError(
        'award_not_collectable',
        `There is nothing to collect: the entry is ${a.status}`,
        {
          details: { status: a.status },
        },
      );
    }
    if (code !== undefined) {
      const who = await recipientOf(trx, campaignId, publicId);
      if (!sameClaimCode(claimCodeFor(await claimKeyOf(trx, ctx, campaignId), who.application_id), code)) {
        throw new DomainError('code_invalid', 'The claim code does not match');
      }
    }
    const row = await markCollected(trx, campaignId, publicId, actorLabel(actor), now);
    if (!row) throw new DomainError('conflict', 'The award changed meanwhile; try again');
    const held = heldOf(row);
    await appendAudit(trx, {
      at: now,
      actor: actorLabel(actor),
      action: 'award.collected',
      subject: `campaign:${campaignId}`,
      data: { public_id: publicId, rank: row.rank, ...held },
    });
    // After the audit entry, as in the expiry sweep: both take the audit chain's lock before the count rows'.
    await moveDrawCounts(trx, campaignId, [{ public_id: publicId, from: a.status, to: 'collected' }]);
    return { public_id: publicId, ...held, collected_at: now };
  });
}

export interface ExpirySweep {
  expired: number;
  promoted: number;
}

/** What one sweep transaction carries from award to award. */
interface Batch {
  trx: Trx;
  now: Date;
  sweep: ExpirySweep;
  places: Map<string, PlaceInfo>;
  /** status changes per campaign, for the public counts */
  moves: Map<string, StatusMove[]>;
  /** per campaign, once a promotion needed them: the slots still ahead and their room, kept current */
  rooms: Map<string, SlotRoom[]>;
}

/** One reconciler step: expire what is past its deadline and pass it down, 100 awards per transaction. */
export async function expireUnclaimedAwards(ctx: AwardContext, batch = 100): Promise<ExpirySweep> {
  const now = ctx.clock.now();
  const sweep: ExpirySweep = { expired: 0, promoted: 0 };
  const campaigns = new Map<string, Campaign>();
  const places = new Map<string, PlaceInfo>();
  for (;;) {
    const n = await ctx.db.transaction(async (trx) => {
      const due = await lockExpiredAwards(trx, now, batch);
      const b: Batch = { trx, now, sweep, places, moves: new Map(), rooms: new Map() };
      for (const a of due) {
        let c = campaigns.get(a.campaign_id);
        if (!c) {
          c = (await trx('campaigns').where({ id: a.campaign_id }).first()) as Campaign;
          campaigns.set(c.id, c);
        }
        await expireOne(ctx, b, c, a);
      }
      // The public counts move once per campaign, after every award of the batch changed.
      for (const id of [...b.moves.keys()].sort()) await moveDrawCounts(trx, id, b.moves.get(id)!);
      return due.length;
    });
    if (n < batch) return sweep;
  }
}

async function expireOne(ctx: AwardContext, b: Batch, c: Campaign, a: AwardRow) {
  const { trx, now } = b;
  const moves = b.moves.get(c.id) ?? [];
  b.moves.set(c.id, moves);
  const held = heldOf(a);
  const places = await placesOf(b, c.id);
  const slotEnd = places.slots.get(held.slot)?.ends_at.getTime() ?? 0;
  const extended = Math.min(slotEnd, c.claim_closes_at.getTime());
  if (extended > now.getTime()) {
    await setClaimDeadline(trx, a, new Date(extended));
    await appendAudit(trx, {
      at: now,
      actor: 'system:reconciler',
      action: 'award.deadline_extended',
      subject: `campaign:${c.id}`,
      data: {
        public_id: a.public_id,
        rank: a.rank,
        from: a.claim_deadline?.toISOString(),
        to: new Date(extended).toISOString(),
        reason: 'pickup_slot_not_ended',
      },
    });
    return;
  }
  await markExpired(trx, a, now);
  moves.push({ public_id: a.public_id, from: a.status, to: 'expired' });
  const freed = b.rooms.get(c.id)?.find((s) => s.id === held.slot);
  if (freed) freed.room += held.amount;
  b.sweep.expired++;
  await appendAudit(trx, {
    at: now,
    actor: 'system:reconciler',
    action: 'award.expired',
    subject: `campaign:${c.id}`,
    data: { public_id: a.public_id, rank: a.rank, deadline: a.claim_deadline?.toISOString(), ...held },
  });
  const expiredWho = await recipientOf(trx, c.id, a.public_id);
  await sendAwardNotice(
    ctx,
    trx,
    c,
    expiredWho,
    'award_expired',
    {},
    `award_expired:${expiredWho.application_id}:${a.rank}`,
  );

  if (c.unclaimed_policy !== 'pass_down' || now.getTime() >= c.claim_closes_at.getTime()) return;
  const next = await lockNextWaitlisted(trx, c.id, held.site);
  if (!next) return;
  const d = Number(c.denomination);
  let want = Math.min(Number(next.request), Number(c.per_person_max));
  want -= want % d;
  const amount = Math.min(held.amount, want);
  if (amount <= 0) return;
  const place = await promotionPlace(b, c, held.site, amount);
  await markPromoted(
    trx,
    next,
    { amount, site: held.site, slot: place.slot, from_rank: a.rank, deadline: place.deadline },
    now,
  );
  moves.push({ public_id: next.public_id, from: 'waitlisted', to: 'promoted' });
  b.sweep.promoted++;
  await appendAudit(trx, {
    at: now,
    actor: 'system:reconciler',
    action: 'award.promoted',
    subject: `campaign:${c.id}`,
    data: {
      public_id: next.public_id,
      rank: next.rank,
      waitlist: next.waitlist,
      from_public_id: a.public_id,
      from_rank: a.rank,
      amount,
      site: held.site,
      slot: place.slot,
      ...(held.site ? { slot_rule: place.rule, freed_slot: held.slot } : {}),
      deadline: place.deadline.toISOString(),
    },
  });
  const who = await recipientOf(trx, c.id, next.public_id);
  const lang = who.lang === 'en' ? 'en' : 'ko';
  await scheduleReminders(
    trx,
    c,
    places,
    [{ public_id: next.public_id, slot: place.slot, deadline: place.deadline }],
    now,
  );
  await sendAwardNotice(
    ctx,
    trx,
    c,
    who,
    'promoted',
    {
      prize: prizeText(c, amount, lang),
      ...whereAndWhen(
        c,
        places,
        { site: held.site, slot: place.slot, deadline: place.deadline, from: now },
        lang,
      ),
      claim_code: claimCodeFor(await claimKeyOf(trx, ctx, c.id), who.application_id),
      rank: next.rank,
    },
    `promoted:${who.application_id}`,
  );
}

async function placesOf(b: Batch, campaignId: string): Promise<PlaceInfo> {
  let places = b.places.get(campaignId);
  if (!places) {
    places = await loadPlaces(b.trx, campaignId);
    b.places.set(campaignId, places);
  }
  return places;
}

interface PromotionPlace {
  slot: string;
  deadline: Date;
  rule: 'earliest_slot_ahead' | 'any_time_until_deadline';
}

/** The slot and deadline a promotion gets at `site` (see the rule at the top of this file). */
async function promotionPlace(b: Batch, c: Campaign, site: string, amount: number): Promise<PromotionPlace> {
  const deadline = claimDeadline(c, b.now);
  if (!site) return { slot: '', deadline, rule: 'any_time_until_deadline' };
  let rooms = b.rooms.get(c.id);
  if (!rooms) {
    await lockCampaignPromotions(b.trx, c.id);
    rooms = await slotRoomsAhead(b.trx, c.id, new Date(b.now.getTime() + PROMOTION_LEAD_MS));
    b.rooms.set(c.id, rooms);
  }
  const slot = rooms.find((s) => s.site_id === site && s.room >= amount);
  if (!slot) return { slot: '', deadline, rule: 'any_time_until_deadline' };
  slot.room -= amount;
  const latest = Math.min(Math.max(deadline.getTime(), slot.ends_at.getTime()), c.claim_closes_at.getTime());
  return { slot: slot.id, deadline: new Date(latest), rule: 'earliest_slot_ahead' };
}
