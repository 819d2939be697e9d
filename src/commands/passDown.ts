// Passing a released award down the waitlist: after an expiry (awards.ts) or a refusal at the counter
// (refuseAtCounter.ts). The rule (who, how much, where and until when) is domain/passDown.ts; this command
// loads what it needs, applies it, and writes, audits and notifies the promotion.
import { appendAudit } from '../audit/log.js';
import type { Trx } from '../db/knex.js';
import type { AwardRow } from '../db/repos/awards.js';
import { indexClaimCodes } from '../db/repos/claimCodeIndex.js';
import type { StatusMove } from '../db/repos/drawCounts.js';
import {
  lockCampaignPromotions,
  lockNextWaitlisted,
  markPromoted,
  slotRoomsAhead,
} from '../db/repos/promotion.js';
import type { Campaign } from '../domain/campaign.js';
import { PROMOTION_LEAD_MS, passesDown, passDown as promotionOf, type SlotRoom } from '../domain/passDown.js';
import {
  type AwardContext,
  claimKeyOf,
  heldOf,
  loadPlaces,
  nextStep,
  type PlaceInfo,
  prizeText,
  recipientOf,
  sendAwardNotice,
} from './awardNotices.js';
import { claimCodeDigest, claimCodeFor } from './claimCodes.js';
import { scheduleReminders } from './reminders.js';

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
  if (!passesDown(c, now)) return false;
  const next = await lockNextWaitlisted(trx, c.id, held.site);
  if (!next) return false;
  const rooms = held.site ? await roomsAhead(b, c.id) : [];
  const rules = { ...c, denomination: Number(c.denomination), per_person_max: Number(c.per_person_max) };
  const place = promotionOf(rules, held, [{ ...next, request: Number(next.request) }], rooms, now);
  if (!place) return false;
  const { amount } = place;
  const taken = rooms.find((s) => s.id === place.slot);
  if (taken) taken.room -= amount;
  const places = await placesOf(b, c.id);
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
  // a voucher is paid for on the site, never shown at a counter: no code to tell or to find
  const code = c.kind === 'goods' ? claimCodeFor(await claimKeyOf(trx, ctx, c.id), who.application_id) : '';
  if (code)
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
      ...nextStep(
        c,
        places,
        { amount, site: held.site, slot: place.slot, deadline: place.deadline, from: now },
        lang,
      ),
      claim_code: code,
      rank: next.rank,
    },
    `promoted:${who.application_id}`,
  );
  return true;
}

/** The campaign's slots still ahead and their room, loaded once per transaction under the promotion lock. */
async function roomsAhead(b: PassDownScope, campaignId: string): Promise<SlotRoom[]> {
  let rooms = b.rooms.get(campaignId);
  if (!rooms) {
    await lockCampaignPromotions(b.trx, campaignId);
    rooms = await slotRoomsAhead(b.trx, campaignId, new Date(b.now.getTime() + PROMOTION_LEAD_MS));
    b.rooms.set(campaignId, rooms);
  }
  return rooms;
}
