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

/** A sale's live purchases (held for payment or paid) per campaign: what a sale has where a draw has applications. */
export async function countLivePurchasesBySale(db: Db): Promise<Map<string, number>> {
  const rows: Array<{ campaign_id: string; count: string | number }> = await db('instant_purchases')
    .select('campaign_id')
    .count('* as count')
    .whereIn('state', ['held', 'paid'])
    .groupBy('campaign_id');
  return new Map(rows.map((r) => [r.campaign_id, Number(r.count)]));
}
