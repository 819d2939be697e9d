// Queries on a campaign's draw record (commitment, roster root, beacon, results), one named function each.
import type { Db, Trx } from '../knex.js';

export interface DrawRecord {
  campaign_id: string;
  version: string;
  secret_enc: string;
  seed_commitment: string;
  beacon_source: string;
  rules: string;
  committed_at: Date;
  roster_root: string | null;
  roster_size: number | null;
  frozen_at: Date | null;
  beacon: string | null;
  beacon_recorded_by: string | null;
  beacon_recorded_at: Date | null;
  beacon_missing_since: Date | null;
  secret: string | null;
  seed: string | null;
  results_hash: string | null;
  drawn_at: Date | null;
  claim_key_enc: string | null;
  notified_through_rank: number;
}

/** The commitment made at the opening; a second call for the same campaign changes nothing. */
export async function insertCommitment(
  trx: Trx,
  row: Pick<
    DrawRecord,
    'campaign_id' | 'secret_enc' | 'seed_commitment' | 'beacon_source' | 'rules' | 'committed_at'
  >,
): Promise<boolean> {
  const res = await trx('draws').insert(row).onConflict('campaign_id').ignore().returning('campaign_id');
  return res.length > 0;
}

export async function findDraw(db: Db | Trx, campaignId: string): Promise<DrawRecord | undefined> {
  return db('draws').where({ campaign_id: campaignId }).first();
}

/** Locks the draw row for the rest of the transaction (beacon recording and the draw serialise on it). */
export async function lockDraw(trx: Trx, campaignId: string): Promise<DrawRecord | undefined> {
  return trx('draws').where({ campaign_id: campaignId }).forUpdate().first();
}

export async function setRosterRoot(
  trx: Trx,
  campaignId: string,
  root: string,
  size: number,
  at: Date,
): Promise<void> {
  await trx('draws')
    .where({ campaign_id: campaignId })
    .update({ roster_root: root, roster_size: size, frozen_at: at });
}

/** Records the beacon only if none is recorded yet; false when one already was. */
export async function setBeaconOnce(
  trx: Trx,
  campaignId: string,
  beacon: string,
  by: string,
  at: Date,
): Promise<boolean> {
  const n = await trx('draws')
    .where({ campaign_id: campaignId })
    .whereNull('beacon')
    .update({ beacon, beacon_recorded_by: by, beacon_recorded_at: at });
  return n === 1;
}

/** Marks the beacon as missing; true only the first time (so the audit entry is written once). */
export async function markBeaconMissing(trx: Trx, campaignId: string, at: Date): Promise<boolean> {
  const n = await trx('draws')
    .where({ campaign_id: campaignId })
    .whereNull('beacon_missing_since')
    .whereNull('beacon')
    .update({ beacon_missing_since: at });
  return n === 1;
}

export async function setDrawOutcome(
  trx: Trx,
  campaignId: string,
  o: { secret: string; seed: string; results_hash: string; drawn_at: Date; claim_key_enc: string },
): Promise<void> {
  await trx('draws').where({ campaign_id: campaignId }).update(o);
}

export async function setNotifiedThrough(trx: Trx, campaignId: string, rank: number): Promise<void> {
  await trx('draws')
    .where({ campaign_id: campaignId })
    .where('notified_through_rank', '<', rank)
    .update({ notified_through_rank: rank });
}

export interface DueDraw {
  id: string;
  beacon: string | null;
  beacon_missing_since: Date | null;
}

/** Closed lottery/reservation campaigns whose draw time has come, earliest first. */
export async function listDueDraws(db: Db, now: Date): Promise<DueDraw[]> {
  return db('campaigns as c')
    .join('draws as d', 'd.campaign_id', 'c.id')
    .select('c.id', 'd.beacon', 'd.beacon_missing_since')
    .where('c.state', 'closed')
    .whereIn('c.mode', ['lottery', 'reservation'])
    .where('c.draw_at', '<=', now)
    .whereNotNull('d.roster_root')
    .orderBy('c.draw_at');
}

/** Campaigns waiting for their beacon past the draw time (the admin banner, the metric). */
export async function listBeaconMissing(db: Db): Promise<Array<{ id: string; since: Date }>> {
  return db('campaigns as c')
    .join('draws as d', 'd.campaign_id', 'c.id')
    .select('c.id', 'd.beacon_missing_since as since')
    .where('c.state', 'closed')
    .whereNull('d.beacon')
    .whereNotNull('d.beacon_missing_since');
}

/** What a beacon fetcher needs of a campaign: its id and close time. */
export async function findCampaignCloseTime(
  db: Db,
  id: string,
): Promise<{ id: string; closes_at: Date } | undefined> {
  return db('campaigns').where({ id }).first('id', 'closes_at');
}
