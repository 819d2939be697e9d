// Stock per site and slot: each slot's capacity beside what the stored counts (drawCounts.ts) say is awarded
// and collected. One index scan of the campaign's slots and one of its stock rows; never the awards.
import type { Db } from '../knex.js';

export interface StockRow {
  site_id: string;
  slot_id: string;
  starts_at: Date | null;
  ends_at: Date | null;
  capacity: number;
  awarded: number;
  collected: number;
}

export async function readStockRows(db: Db, campaignId: string): Promise<StockRow[]> {
  const { rows } = await db.raw(
    `SELECT s.site_id, s.id AS slot_id, s.starts_at, s.ends_at, s.capacity::float8 AS capacity,
            coalesce(k.awarded, 0)::float8 AS awarded, coalesce(k.collected, 0)::float8 AS collected
       FROM campaign_slots s
       LEFT JOIN stock_counts k ON k.campaign_id = s.campaign_id AND k.site_id = s.site_id AND k.slot_id = s.id
      WHERE s.campaign_id = ?
     UNION ALL
     -- awards passed down after every slot of their site had passed, and a voucher campaign's one row
     SELECT k.site_id, '', NULL, NULL, 0, k.awarded::float8, k.collected::float8
       FROM stock_counts k
      WHERE k.campaign_id = ? AND k.slot_id = ''
      ORDER BY 1, 3 NULLS LAST, 2`,
    [campaignId, campaignId],
  );
  return rows;
}

export async function siteNames(
  db: Db,
  ids: string[],
): Promise<Map<string, { name_ko: string; name_en: string; district: string; district_en: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db('sites')
    .select('id', 'name_ko', 'name_en', 'district', 'district_en')
    .whereIn('id', ids);
  return new Map(rows.map((r) => [r.id, r]));
}

/** The sites a campaign has slots at, by id. */
export async function sitesOfCampaign(
  db: Db,
  campaignId: string,
): Promise<Array<{ id: string; name_ko: string; name_en: string }>> {
  return db('sites')
    .select('id', 'name_ko', 'name_en')
    .whereIn('id', db('campaign_slots').select('site_id').where({ campaign_id: campaignId }))
    .orderBy('id');
}
