// Where a promoted applicant collects: the campaign's pickup slots that are still ahead, with their room now.
import type { SlotRoom } from '../../domain/passDown.js';
import type { Trx } from '../knex.js';

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
