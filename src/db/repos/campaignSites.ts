import type { Db, Trx } from '../knex.js';
import { SITE_COLUMNS, type Site } from './sites.js';

/** The pickup sites a campaign has slots at, by district then name. */
export async function listCampaignSites(db: Db | Trx, campaignId: string): Promise<Site[]> {
  return db('sites as s')
    .select(SITE_COLUMNS.map((c) => `s.${c}`))
    .whereIn('s.id', db('campaign_slots').select('site_id').where({ campaign_id: campaignId }))
    .orderBy([{ column: 's.district' }, { column: 's.name_ko' }, { column: 's.id' }]);
}
