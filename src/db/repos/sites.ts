import type { Db, Trx } from '../knex.js';

export interface Site {
  id: string;
  name_ko: string;
  name_en: string;
  district: string;
  address: string;
  /** how a winner reaches the counter, e.g. 02-123-4567 ('' when unknown) */
  phone?: string;
  /** opening hours as the site states them, e.g. 평일 09:00-18:00 */
  hours_ko?: string;
  hours_en?: string;
  /** WGS84 position for a map link; both or neither */
  lat?: number | null;
  lng?: number | null;
}

/** Every column a page or notice shows, in one place. */
export const SITE_COLUMNS = [
  'id',
  'name_ko',
  'name_en',
  'district',
  'address',
  'phone',
  'hours_ko',
  'hours_en',
  'lat',
  'lng',
] as const;

export async function upsertSite(db: Db | Trx, site: Site): Promise<Site> {
  const [row] = await db('sites')
    .insert(site)
    .onConflict('id')
    .merge()
    .returning([...SITE_COLUMNS]);
  return row as Site;
}

export async function listSites(db: Db | Trx, opts: { district?: string } = {}): Promise<Site[]> {
  const q = db('sites')
    .select(...SITE_COLUMNS)
    .orderBy('id');
  if (opts.district) q.where({ district: opts.district });
  return q;
}

export async function findSite(db: Db | Trx, id: string): Promise<Site | undefined> {
  return db('sites')
    .select(...SITE_COLUMNS)
    .where({ id })
    .first();
}

export async function existingSiteIds(db: Db | Trx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows: Array<{ id: string }> = await db('sites')
    .select('id')
    .whereIn('id', [...new Set(ids)]);
  return new Set(rows.map((r) => r.id));
}
