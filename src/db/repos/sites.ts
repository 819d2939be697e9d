import type { Db, Trx } from '../knex.js';

export interface Site {
  id: string;
  name_ko: string;
  name_en: string;
  district: string;
  address: string;
}

export async function upsertSite(db: Db | Trx, site: Site): Promise<Site> {
  const [row] = await db('sites')
    .insert(site)
    .onConflict('id')
    .merge()
    .returning(['id', 'name_ko', 'name_en', 'district', 'address']);
  return row as Site;
}

export async function listSites(db: Db | Trx, opts: { district?: string } = {}): Promise<Site[]> {
  const q = db('sites').select('id', 'name_ko', 'name_en', 'district', 'address').orderBy('id');
  if (opts.district) q.where({ district: opts.district });
  return q;
}

export async function findSite(db: Db | Trx, id: string): Promise<Site | undefined> {
  return db('sites').select('id', 'name_ko', 'name_en', 'district', 'address').where({ id }).first();
}

export async function existingSiteIds(db: Db | Trx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows: Array<{ id: string }> = await db('sites')
    .select('id')
    .whereIn('id', [...new Set(ids)]);
  return new Set(rows.map((r) => r.id));
}
