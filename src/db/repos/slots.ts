import type { SlotInput } from '../../domain/campaign.js';
import type { Db, Trx } from '../knex.js';

export async function replaceCampaignSlots(trx: Trx, campaignId: string, slots: SlotInput[]): Promise<void> {
  await trx('campaign_slots').where({ campaign_id: campaignId }).delete();
  if (slots.length > 0) {
    await trx.batchInsert(
      'campaign_slots',
      slots.map((s) => ({ ...s, campaign_id: campaignId })),
      1000,
    );
  }
}

export async function listCampaignSlots(db: Db | Trx, campaignId: string): Promise<SlotInput[]> {
  return db('campaign_slots')
    .select('id', 'site_id', 'starts_at', 'ends_at', 'capacity')
    .where({ campaign_id: campaignId })
    .orderBy([{ column: 'site_id' }, { column: 'starts_at' }, { column: 'id' }]);
}

/** Every slot of the campaign with its site's name and address: where and when, in notices. */
export async function listSlotPlaces(
  db: Db | Trx,
  campaignId: string,
): Promise<
  Array<{
    id: string;
    starts_at: Date;
    ends_at: Date;
    site_id: string;
    name_ko: string;
    name_en: string;
    address: string;
    address_en: string;
  }>
> {
  return db('campaign_slots as s')
    .join('sites as t', 't.id', 's.site_id')
    .select(
      's.id',
      's.starts_at',
      's.ends_at',
      's.site_id',
      't.name_ko',
      't.name_en',
      't.address',
      't.address_en',
    )
    .where('s.campaign_id', campaignId);
}

export async function findCampaignSlot(
  db: Db | Trx,
  campaignId: string,
  slotId: string,
): Promise<SlotInput | undefined> {
  return db('campaign_slots')
    .select('id', 'site_id', 'starts_at', 'ends_at', 'capacity')
    .where({ campaign_id: campaignId, id: slotId })
    .first();
}

/** The campaign's slots at a site starting between `from` and `to`, in time order. */
export async function listSiteSlotsStarting(
  db: Db | Trx,
  campaignId: string,
  siteId: string,
  from: Date,
  to: Date,
): Promise<Array<{ id: string; starts_at: Date; ends_at: Date; capacity: number }>> {
  return db('campaign_slots')
    .select('id', 'starts_at', 'ends_at', 'capacity')
    .where({ campaign_id: campaignId, site_id: siteId })
    .whereBetween('starts_at', [from, to])
    .orderBy([{ column: 'starts_at' }, { column: 'id' }]);
}
