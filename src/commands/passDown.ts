// Passing a released award down the waitlist: after an expiry (awards.ts) or a refusal at the counter
// (refuseAtCounter.ts). The rule, and where and when a promoted applicant collects, are described at the top
// of awards.ts; this file is that rule's one implementation.
import { appendAudit } from '../audit/log.js';
import type { Trx } from '../db/knex.js';
import { type AwardRow, lockNextWaitlisted, markPromoted } from '../db/repos/awards.js';
import { indexClaimCodes } from '../db/repos/claimCodeIndex.js';
import type { StatusMove } from '../db/repos/drawCounts.js';
import { lockCampaignPromotions, type SlotRoom, slotRoomsAhead } from '../db/repos/promotion.js';
import type { Campaign } from '../domain/campaign.js';
import {
  type AwardContext,
  claimKeyOf,
  heldOf,
  loadPlaces,
  type PlaceInfo,
  prizeText,
  recipientOf,
  sendAwardNotice,
  whereAndWhen,
} from './awardNotices.js';
import { claimCodeDigest, claimCodeFor } from './claimCodes.js';
import { claimDeadline } from './drawCampaign.js';
import { scheduleReminders } from './reminders.js';

/** A slot counts as still ahead for a promotion when it ends at least this long after the promotion. */
export const PROMOTION_LEAD_MS = 2 * 3600_000;

/** What passes from award to award within one transaction. */
export interface PassDownScope {
  trx: Trx;
  now: Date;
  places: Map<string, PlaceInfo>;
  /** per campaign, once a promotion needed them: the slots still ahead and their room, kept current */
  rooms: Map<string, SlotRoom[]>;
}

export async function placesOf(b: PassDownScope, campaignId: string): Promise<PlaceInfo> {
  let places = b.places.get(campaignId);
  if (!places) {
    places = await loadPlaces(b.trx, campaignId);
    b.places.set(campaignId, places);
  }
  return places;
}

/**
 * Gives the award `a` just released (expired or refused, already written) to the next on the waitlist, when the
 * campaign passes down and its claim window is open. Appends the status move to `moves`; true if promoted.
 */
export async function passDown(
  ctx: AwardContext,
  b: PassDownScope,
  c: Campaign,
  a: AwardRow,
  moves: StatusMove[],
  actor: string,
): Promise<boolean> {
  const { trx, now } = b;
  const held = heldOf(a);
  const freed = b.rooms.get(c.id)?.find((s) => s.id === held.slot);
  if (freed) freed.room += held.amount;
  if (c.unclaimed_policy !== 'pass_down' || now.getTime() >= c.claim_closes_at.getTime()) return false;
  const next = await lockNextWaitlisted(trx, c.id, held.site);
  if (!next) return false;
  const d = Number(c.denomination);
  let want = Math.min(Number(next.request), Number(c.per_person_max));
  want -= want % d;
  const amount = Math.min(held.amount, want);
  if (amount <= 0) return false;
  const places = await placesOf(b, c.id);
  const place = await promotionPlace(b, c, held.site, amount);
  await markPromoted(
    trx,
    next,
    { amount, site: held.site, slot: place.slot, from_rank: a.rank, deadline: place.deadline },
    now,
  );
  moves.push({ public_id: next.public_id, from: 'waitlisted', to: 'promoted' });
  await appendAudit(trx, {
    at: now,
    actor,
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
  const code = claimCodeFor(await claimKeyOf(trx, ctx, c.id), who.application_id);
  await indexClaimCodes(trx, [
    { digest: claimCodeDigest(ctx.secrets, code), campaign_id: c.id, public_id: next.public_id },
  ]);
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
      claim_code: code,
      rank: next.rank,
    },
    `promoted:${who.application_id}`,
  );
  return true;
}

interface PromotionPlace {
  slot: string;
  deadline: Date;
  rule: 'earliest_slot_ahead' | 'any_time_until_deadline';
}

/** The slot and deadline a promotion gets at `site` (see the rule at the top of awards.ts). */
async function promotionPlace(
  b: PassDownScope,
  c: Campaign,
  site: string,
  amount: number,
): Promise<PromotionPlace> {
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
