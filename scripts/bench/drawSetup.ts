// A goods lottery for the benchmarks, made with SQL generate_series: `sites` pharmacies x 3 slots and
// `applications` applications (public ids from a hash, so byte order is not insertion order; groups,
// weights and preferences vary). The campaign is 'open'; the caller closes it.
import type { Db } from '../../src/db/knex.js';
import type { Campaign } from '../../src/domain/campaign.js';

export async function seedDrawCampaign(
  db: Db,
  o: { applications: number; sites: number; code: string; opensAt: Date; closesAt: Date; drawAt: Date },
): Promise<Campaign> {
  await db.raw(
    `INSERT INTO sites (id, name_ko, name_en, address)
     SELECT 'S' || lpad(i::text, 5, '0'), '약국 ' || i, 'Pharmacy ' || i, '주소 ' || i FROM generate_series(0, ?::int - 1) i`,
    [o.sites],
  );
  const [c] = await db('campaigns')
    .insert({
      code: o.code,
      kind: 'goods',
      mode: 'lottery',
      state: 'open',
      title_ko: '벤치마크 마스크',
      title_en: 'Benchmark masks',
      opens_at: o.opensAt,
      closes_at: o.closesAt,
      draw_at: o.drawAt,
      claim_opens_at: new Date(o.drawAt.getTime() + 86_400_000),
      claim_closes_at: new Date(o.drawAt.getTime() + 11 * 86_400_000),
      unit: 'item',
      total: 0,
      denomination: 1,
      per_person_max: 2,
      partial: 'partial',
      groups: JSON.stringify([
        { name: 'senior', reserved: Math.floor(o.applications / 20), weight: 2 },
        { name: 'disability', reserved: Math.floor(o.applications / 50), weight: 1 },
      ]),
    })
    .returning('*');
  const campaign = c as Campaign;
  await db.raw(
    `INSERT INTO campaign_slots (campaign_id, id, site_id, starts_at, ends_at, capacity)
     SELECT ?, 'S' || lpad(s::text, 5, '0') || '-' || k, 'S' || lpad(s::text, 5, '0'),
            '2026-12-10T00:00:00Z'::timestamptz + k * interval '3 hours',
            '2026-12-10T02:00:00Z'::timestamptz + k * interval '3 hours', 10 + (s * 3 + k) % 6
       FROM generate_series(0, ?::int - 1) s, generate_series(0, 2) k`,
    [campaign.id, o.sites],
  );
  await db.raw(
    'UPDATE campaigns SET total = (SELECT sum(capacity) FROM campaign_slots WHERE campaign_id = ?) WHERE id = ?',
    [campaign.id, campaign.id],
  );
  await db.raw(
    `INSERT INTO identities (id, identity_key, method)
     SELECT gen_random_uuid(), 'bench-' || i, 'sms' FROM generate_series(1, ?::int) i`,
    [o.applications],
  );
  // Public ids from a hash, so their byte order is not insertion order; groups, weights and sites vary.
  await db.raw(
    `INSERT INTO applications (campaign_id, identity_id, public_id, channel, request, preferences, group_name, weight)
     SELECT ?, id, upper(substr(md5(identity_key), 1, 10)), 'web', 1 + (h % 3),
            ARRAY['S' || lpad((h % ?)::text, 5, '0'), 'S' || lpad(((h + 1) % ?)::text, 5, '0'), 'S' || lpad(((h + 7) % ?)::text, 5, '0')],
            CASE WHEN h % 100 < 10 THEN 'senior' WHEN h % 100 < 14 THEN 'disability' ELSE '' END,
            CASE WHEN h % 100 < 10 THEN 2 ELSE 1 END
       FROM (SELECT id, identity_key, abs(hashtext(identity_key)) AS h FROM identities) x`,
    [campaign.id, o.sites, o.sites, o.sites],
  );
  await db.raw('ANALYZE');
  return (await db('campaigns').where({ id: campaign.id }).first()) as Campaign;
}
