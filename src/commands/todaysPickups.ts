// The counter's list: a site's pickups for today by slot, in each campaign's own time zone, with counts and per
// award the public id, amount, slot and status (never a name). Awards passed down with no slot left are
// listed as "any time" while they can still be collected.
import { DateTime } from 'luxon';
import { listCampaignsAtSite } from '../db/repos/campaigns.js';
import { sitePickups } from '../db/repos/counterAwards.js';
import { listSiteSlotsStarting } from '../db/repos/slots.js';
import { countPickup, noPickups, type PickupCounts } from '../domain/pickupCounts.js';
import { type CounterContext, type CounterStaff, counterSite } from './counterClaim.js';

export interface PickupSlot {
  id: string;
  starts_at: string | null;
  ends_at: string | null;
  capacity: number | null;
  counts: PickupCounts;
  pickups: Array<{ public_id: string; amount: number; status: string; collected_at: string | null }>;
}

export async function todaysPickups(ctx: CounterContext, staff: CounterStaff, siteId: string) {
  const site = await counterSite(ctx.db, staff, siteId);
  const now = ctx.clock.now();
  const campaigns = await listCampaignsAtSite(ctx.db, siteId, ['drawn', 'claiming']);
  const pickups = await sitePickups(
    ctx.db,
    campaigns.map((c) => c.id),
    siteId,
  );
  const out = [];
  for (const c of campaigns) {
    const day = DateTime.fromJSDate(now, { zone: c.time_zone });
    const from = day.startOf('day').toJSDate();
    const to = day.endOf('day').toJSDate();
    const slots = await listSiteSlotsStarting(ctx.db, c.id, siteId, from, to);
    const bySlot = new Map<string, PickupSlot>(
      slots.map((s) => [
        s.id,
        {
          id: s.id,
          starts_at: s.starts_at.toISOString(),
          ends_at: s.ends_at.toISOString(),
          capacity: s.capacity,
          counts: noPickups(),
          pickups: [],
        },
      ]),
    );
    const anyTime: PickupSlot = {
      id: '',
      starts_at: null,
      ends_at: null,
      capacity: null,
      counts: noPickups(),
      pickups: [],
    };
    for (const p of pickups) {
      if (p.campaign_id !== c.id) continue;
      const slot = p.slot ? bySlot.get(p.slot) : anyTime;
      if (!slot) continue;
      if (!p.slot && !['won', 'promoted', 'collected'].includes(p.status)) continue;
      countPickup(slot.counts, p.status);
      slot.pickups.push({
        public_id: p.public_id,
        amount: Number(p.amount),
        status: p.status,
        collected_at: p.collected_at?.toISOString() ?? null,
      });
    }
    const list = [...bySlot.values()];
    if (anyTime.pickups.length > 0) list.push(anyTime);
    out.push({
      id: c.id,
      code: c.code,
      title_ko: c.title_ko,
      title_en: c.title_en,
      unit: c.unit,
      time_zone: c.time_zone,
      date: day.toISODate(),
      slots: list,
    });
  }
  return { site, now: now.toISOString(), campaigns: out };
}
