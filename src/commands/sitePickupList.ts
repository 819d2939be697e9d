// An admin's list of a campaign's pickups (one site, or all), with the offline double-spends flagged on sync.
import type { Db } from '../db/knex.js';
import { listCollectionConflicts } from '../db/repos/collectionConflicts.js';
import { campaignPickups } from '../db/repos/counterAwards.js';
import type { Campaign } from '../domain/campaign.js';

const iso = (d: Date | null) => d?.toISOString() ?? '';

export async function sitePickupList(db: Db, c: Campaign, site?: string) {
  const [rows, conflicts] = await Promise.all([
    campaignPickups(db, c.id, site),
    listCollectionConflicts(db, c.id, site),
  ]);
  return {
    campaign_id: c.id,
    site: site ?? null,
    pickups: rows.map((r) => ({
      site: r.site,
      slot: r.slot,
      slot_starts_at: iso(r.slot_starts_at),
      public_id: r.public_id,
      status: r.status,
      amount: Number(r.amount),
      claim_deadline: iso(r.claim_deadline),
      collected_at: iso(r.collected_at),
      collected_site: r.collected_site ?? '',
      collected_via: r.collected_via ?? '',
      collected_by: r.collected_by ?? '',
      refused_at: iso(r.refused_at),
      refusal_reason: r.refusal_reason ?? '',
    })),
    conflicts: conflicts.map((k) => ({
      ...k,
      handed_over_at: iso(k.handed_over_at),
      synced_at: iso(k.synced_at),
      first_collected_at: iso(k.first_collected_at),
    })),
  };
}
