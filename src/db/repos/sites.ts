import type { Db, Trx } from '../knex.js';

export interface Site {
  id: string;
  name_ko: string;
  name_en: string;
  /** where it is, as Korean residents and the district filter name it, e.g. 중구 and 서울 중구 세종대로 110 */
  district: string;
  address: string;
  /** the same in English, e.g. Jung-gu and 110 Sejong-daero, Jung-gu, Seoul ('' when not given: the Korean shows) */
  district_en?: string;
  address_en?: string;
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
  'district_en',
  'address',
  'address_en',
  'phone',
  'hours_ko',
  'hours_en',
  'lat',
  'lng',
] as const;

/** Adds a site, or replaces an existing one's columns (`replace`: only those; every column by default). */
export async function upsertSite(
  db: Db | Trx,
  site: Site,
  replace?: ReadonlyArray<keyof Site>,
): Promise<Site> {
  const conflict = db('sites').insert(site).onConflict('id');
  const [row] = await (replace ? conflict.merge([...replace]) : conflict.merge()).returning([
    ...SITE_COLUMNS,
  ]);
  return row as Site;
}

export async function listSites(db: Db | Trx, opts: { district?: string } = {}): Promise<Site[]> {
  const q = db('sites')
    .select(...SITE_COLUMNS)
    .orderBy('id');
  // a district as either language names it (an English reader passes the district_en it was shown)
  const d = opts.district;
  if (d) q.where((w) => w.where({ district: d }).orWhere({ district_en: d }));
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
