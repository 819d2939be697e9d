// Offline collections that found their award already spent or released when they synced.
import type { Db, Trx } from '../knex.js';

export interface CollectionConflict {
  campaign_id: string;
  public_id: string;
  site_id: string;
  staff_id: string;
  offline_ref: string;
  handed_over_at: Date;
  synced_at: Date;
  status_at_sync: string;
  first_collected_at: Date | null;
  first_collected_site: string | null;
  first_collected_by: string | null;
}

/** Keeps the conflict once per offline record; false when this record was already kept (a repeated sync). */
export async function insertCollectionConflict(trx: Trx, c: CollectionConflict): Promise<boolean> {
  const rows = await trx('collection_conflicts').insert(c).onConflict('offline_ref').ignore().returning('id');
  return rows.length > 0;
}

export async function listCollectionConflicts(
  db: Db | Trx,
  campaignId: string,
  siteId?: string,
): Promise<CollectionConflict[]> {
  const q = db('collection_conflicts')
    .where({ campaign_id: campaignId })
    .orderBy('synced_at', 'desc')
    .limit(500);
  if (siteId) q.where({ site_id: siteId });
  return q;
}
