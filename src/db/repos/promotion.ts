// Where a promoted applicant collects: the pickup slots of a site that are still ahead, with their room now.
import type { Trx } from '../knex.js';

export interface SlotRoom {
  id: string;
  starts_at: Date;
  ends_at: Date;
  room: number;
}

/**
 * The slots of `siteId` ending at or after `endsAfter`, in time order (the draw rules' slot order), each with
 * its capacity less what held or collected awards take in it (a promoted award counts in its new slot).
 * Callers serialise on lockSitePromotions so two promotions cannot both take the last room.
 */
export async function listSlotsAhead(
  trx: Trx,
  campaignId: string,
  siteId: string,
  endsAfter: Date,
): Promise<SlotRoom[]> {
  const { rows } = await trx.raw(
    `SELECT s.id, s.starts_at, s.ends_at, s.capacity - coalesce(u.used, 0) AS room
       FROM campaign_slots s
       LEFT JOIN LATERAL (
         SELECT sum(CASE WHEN a.promoted_from_rank IS NULL THEN a.amount ELSE a.held_amount END) AS used
           FROM awards a
          WHERE a.campaign_id = s.campaign_id
            AND a.status IN ('won', 'promoted', 'collected')
            AND (CASE WHEN a.promoted_from_rank IS NULL THEN a.slot ELSE a.held_slot END) = s.id
       ) u ON true
      WHERE s.campaign_id = ? AND s.site_id = ? AND s.ends_at >= ?
      ORDER BY s.starts_at, s.id`,
    [campaignId, siteId, endsAfter],
  );
  return rows.map((r: SlotRoom) => ({ ...r, room: Number(r.room) }));
}

/** Serialises promotions into one site's slots until the transaction ends. */
export async function lockSitePromotions(trx: Trx, campaignId: string, siteId: string): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`promote:${campaignId}:${siteId}`]);
}
