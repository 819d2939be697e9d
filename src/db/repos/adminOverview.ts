import type { Db } from '../knex.js';

/** Active applications per campaign, for the admin overview. */
export async function countActiveApplicationsByCampaign(db: Db): Promise<Map<string, number>> {
  const rows: Array<{ campaign_id: string; count: string | number }> = await db('applications')
    .select('campaign_id')
    .count('* as count')
    .where({ status: 'active' })
    .groupBy('campaign_id');
  return new Map(rows.map((r) => [r.campaign_id, Number(r.count)]));
}
