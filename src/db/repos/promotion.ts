// Passing an award down the waitlist: the candidate, locked; where they may collect (the campaign's pickup
// slots still ahead, with their room now); the promotion written.
import type { SlotRoom } from '../../domain/passDown.js';
import type { Trx } from '../knex.js';
import type { AwardRow } from './awards.js';

/**
 * The campaign's slots ending at or after `endsAfter`, by site and in time order (the draw rules' slot order),
 * each with its capacity less what held or collected awards take in it (a promoted award counts in its new
 * slot). One pass over the campaign's awards, and none at all when no slot is ahead. Callers hold
 * lockCampaignPromotions, so the rooms stay true until they commit.
 */
export async function slotRoomsAhead(trx: Trx, campaignId: string, endsAfter: Date): Promise<SlotRoom[]> {
  const slots: Array<Omit<SlotRoom, 'room'> & { capacity: number }> = await trx('campaign_slots')
    .select('id', 'site_id', 'starts_at', 'ends_at', 'capacity')
    .where({ campaign_id: campaignId })
    .where('ends_at', '>=', endsAfter)
    .orderBy([{ column: 'site_id' }, { column: 'starts_at' }, { column: 'id' }]);
  if (slots.length === 0) return [];
  const { rows } = await trx.raw<{ rows: Array<{ slot: string; used: number }> }>(
    `SELECT CASE WHEN promoted_from_rank IS NULL THEN slot ELSE held_slot END AS slot,
            sum(CASE WHEN promoted_from_rank IS NULL THEN amount ELSE held_amount END) AS used
       FROM awards
      WHERE campaign_id = ? AND status IN ('won', 'promoted', 'collected')
      GROUP BY 1`,
    [campaignId],
  );
  const used = new Map(rows.map((r) => [r.slot, Number(r.used)]));
  return slots.map(({ capacity, ...s }) => ({ ...s, room: capacity - (used.get(s.id) ?? 0) }));
}

/** Serialises promotions in one campaign until the transaction ends (two sweeping instances, one slot's room). */
export async function lockCampaignPromotions(trx: Trx, campaignId: string): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`promote:${campaignId}`]);
}

/**
 * The first still-waitlisted entry in rank order that can take an award at `site` (any entry when the
 * campaign has no sites), locked. Preferences come from the frozen roster.
 */
export async function lockNextWaitlisted(
  trx: Trx,
  campaignId: string,
  site: string,
): Promise<(AwardRow & { request: number; preferences: string[] }) | undefined> {
  const { rows } = await trx.raw(
    `SELECT a.*, r.request, r.preferences
       FROM awards a JOIN roster_entries r ON r.campaign_id = a.campaign_id AND r.public_id = a.public_id
      WHERE a.campaign_id = ? AND a.status = 'waitlisted' AND (? = '' OR ? = ANY (r.preferences))
      ORDER BY a.rank
      LIMIT 1
        FOR UPDATE OF a`,
    [campaignId, site, site],
  );
  return rows[0];
}

export async function markPromoted(
  trx: Trx,
  a: { campaign_id: string; rank: number },
  held: { amount: number; site: string; slot: string; from_rank: number; deadline: Date },
  at: Date,
): Promise<void> {
  await trx('awards').where({ campaign_id: a.campaign_id, rank: a.rank }).update({
    status: 'promoted',
    held_amount: held.amount,
    held_site: held.site,
    held_slot: held.slot,
    promoted_from_rank: held.from_rank,
    claim_deadline: held.deadline,
    promoted_at: at,
  });
}
