// A campaign's draw-v1 rules: its budget or stock and limits, priority groups in order, and its sites with
// their slots in time order (from campaign_slots). Fixed at the opening and published with the commitment.
import type { Campaign, SlotInput } from '../domain/campaign.js';
import { compareUtf8, type Rules, validateRules } from '../domain/draw/index.js';

export function drawRulesFor(c: Campaign, slots: readonly SlotInput[]): Rules {
  const bySite = new Map<string, SlotInput[]>();
  for (const s of slots) {
    const list = bySite.get(s.site_id) ?? [];
    list.push(s);
    bySite.set(s.site_id, list);
  }
  const sites = [...bySite.keys()].sort(compareUtf8).map((id) => ({
    id,
    slots: bySite
      .get(id)!
      .slice()
      .sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime() || compareUtf8(a.id, b.id))
      .map((s) => ({ id: s.id, capacity: Number(s.capacity) })),
  }));
  return validateRules({
    unit: c.unit,
    total: Number(c.total),
    per_person_max: Number(c.per_person_max),
    denomination: Number(c.denomination),
    partial: c.partial,
    groups: c.groups.map((g) => ({ name: g.name, reserved: Number(g.reserved) })),
    sites,
  });
}

/** The campaign's own beacon, or the configured default with its closing time filled in. */
export function beaconSourceFor(c: Pick<Campaign, 'beacon_source' | 'closes_at'>, template: string): string {
  if (c.beacon_source) return c.beacon_source;
  return template.replaceAll('{closes_at}', c.closes_at.toISOString());
}
