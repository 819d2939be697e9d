// After the draw: awards not collected by their deadline expire and pass down the waitlist (passDown.ts, by
// the rule in domain/passDown.ts), each step audited and notified. Collection is at the counter
// (collectAtCounter.ts).
//
// No goods award expires before its pickup slot has ended: when the claim period runs out first (slots set
// later than claim_opens_at + claim_period_hours), the deadline moves to the slot's end, never past the end of
// the claim window, and the move is audited (award.deadline_extended).
import { appendAudit } from '../audit/log.js';
import { type AwardRow, lockExpiredAwards, markExpired, setClaimDeadline } from '../db/repos/awards.js';
import { findCampaign } from '../db/repos/campaigns.js';
import { moveDrawCounts, type StatusMove } from '../db/repos/drawCounts.js';
import type { Campaign } from '../domain/campaign.js';
import { type AwardContext, heldOf, type PlaceInfo, recipientOf, sendAwardNotice } from './awardNotices.js';
import { type PassDownScope, passDown, placesOf } from './passDown.js';

export type { AwardContext } from './awardNotices.js';

export interface ExpirySweep {
  expired: number;
  promoted: number;
}

/** What one sweep transaction carries from award to award. */
interface Batch extends PassDownScope {
  sweep: ExpirySweep;
  /** status changes per campaign, for the public counts */
  moves: Map<string, StatusMove[]>;
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
          c = (await findCampaign(trx, a.campaign_id))!;
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
    // a voucher award lapses unpaid, a goods award uncollected: the notice says which
    { paid_for: c.kind === 'voucher' ? 'yes' : '' },
    `award_expired:${expiredWho.application_id}:${a.rank}`,
  );

  if (await passDown(ctx, b, c, a, moves, 'system:reconciler')) b.sweep.promoted++;
}
