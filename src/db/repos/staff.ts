import type { Db, Trx } from '../knex.js';

export type StaffRole = 'admin' | 'site_staff' | 'auditor';

export interface Staff {
  id: string;
  email: string;
  role: StaffRole;
  site_id: string | null;
  password_hash: string | null;
  disabled_at: Date | null;
}

export async function insertStaff(
  db: Db | Trx,
  s: { email: string; role: StaffRole; site_id: string | null; password_hash: string | null },
): Promise<Staff> {
  const [row] = await db('staff').insert(s).returning('*');
  return row as Staff;
}

export async function findStaffByEmail(db: Db | Trx, email: string): Promise<Staff | undefined> {
  return db('staff').whereRaw('lower(email) = lower(?)', [email]).first();
}

export async function findStaffById(db: Db | Trx, id: string): Promise<Staff | undefined> {
  return db('staff').where({ id }).first();
}

/** Who these staff ids are (email, role), for pages that show the audit log's `staff:<id>` actors. */
export async function staffByIds(
  db: Db | Trx,
  ids: readonly string[],
): Promise<Array<Pick<Staff, 'id' | 'email' | 'role'>>> {
  if (ids.length === 0) return [];
  return db('staff')
    .whereIn('id', [...new Set(ids)])
    .select('id', 'email', 'role');
}

export async function countStaff(db: Db | Trx): Promise<number> {
  const row = await db('staff').count<{ count: number }>('* as count').first();
  return Number(row?.count ?? 0);
}

export async function insertLoginToken(
  db: Db | Trx,
  t: { token_hash: Buffer; staff_id: string; expires_at: Date },
) {
  await db('staff_login_tokens').insert(t);
}

/** Marks an unused, unexpired token used and returns its staff id; a second use finds nothing. */
export async function consumeLoginToken(
  db: Db | Trx,
  tokenHash: Buffer,
  now: Date,
): Promise<string | undefined> {
  const [row] = await db('staff_login_tokens')
    .where({ token_hash: tokenHash })
    .whereNull('used_at')
    .where('expires_at', '>', now)
    .update({ used_at: now })
    .returning('staff_id');
  return (row as { staff_id: string } | undefined)?.staff_id;
}

export async function updateStaffPassword(db: Db | Trx, id: string, passwordHash: string): Promise<void> {
  await db('staff').where({ id }).update({ password_hash: passwordHash });
}

/** false when there is no such staff member */
export async function markStaffDisabled(db: Db | Trx, id: string, at: Date): Promise<boolean> {
  const n = await db('staff')
    .where({ id })
    .update({ disabled_at: db.raw('coalesce(disabled_at, ?)', [at]) });
  return n === 1;
}

/** A site's staff accounts, newest first (never the password hashes). */
export async function listSiteStaff(
  db: Db | Trx,
  siteId: string,
): Promise<
  Array<{ id: string; email: string; has_password: boolean; created_at: Date; disabled_at: Date | null }>
> {
  return db('staff')
    .select('id', 'email', db.raw('password_hash IS NOT NULL AS has_password'), 'created_at', 'disabled_at')
    .where({ site_id: siteId, role: 'site_staff' })
    .orderBy('created_at', 'desc');
}
