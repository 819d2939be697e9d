import type { Db, Trx } from '../knex.js';

export interface HelperProxy {
  id: string;
  identity_id: string;
  kind: 'family' | 'staff';
  label: string;
  cap: number;
  used: number;
  disabled_at: Date | null;
}

export async function upsertProxy(
  trx: Trx,
  p: {
    identity_id: string;
    kind: HelperProxy['kind'];
    label: string;
    cap: number;
    created_by: string | null;
  },
): Promise<HelperProxy> {
  const [row] = await trx('proxies')
    .insert(p)
    .onConflict('identity_id')
    .merge({
      kind: p.kind,
      label: p.label,
      cap: trx.raw('GREATEST(?, proxies.used)', [p.cap]),
      disabled_at: null,
    })
    .returning('*');
  return row as HelperProxy;
}

export async function findProxyByIdentity(
  db: Db | Trx,
  identityId: string,
): Promise<HelperProxy | undefined> {
  return db('proxies').where({ identity_id: identityId }).whereNull('disabled_at').first();
}

/** Takes one use of the helper's cap; undefined when the cap is reached (atomic, no read first). */
export async function takeProxyUse(trx: Trx, proxyId: string): Promise<HelperProxy | undefined> {
  const [row] = await trx('proxies')
    .where({ id: proxyId })
    .whereNull('disabled_at')
    .whereRaw('used < cap')
    .increment('used', 1)
    .returning('*');
  return row as HelperProxy | undefined;
}

export async function listProxies(db: Db): Promise<HelperProxy[]> {
  return db('proxies').select('*').orderBy('created_at', 'desc');
}
