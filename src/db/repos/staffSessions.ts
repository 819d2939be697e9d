import type { Db, Trx } from '../knex.js';
import type { Staff } from './staff.js';

export async function insertStaffSession(
  db: Db | Trx,
  s: { id: string; staff_id: string; expires_at: Date },
): Promise<void> {
  await db('staff_sessions').insert(s);
}

/**
 * The staff member behind a live session: one primary-key lookup joined to its staff row (the read each
 * staff request made before sessions were revocable), so checking revocation costs no extra round trip.
 */
export async function findSessionStaff(
  db: Db | Trx,
  sessionId: string,
  now: Date,
): Promise<Staff | undefined> {
  return db('staff_sessions as ss')
    .join('staff as s', 's.id', 'ss.staff_id')
    .where('ss.id', sessionId)
    .whereNull('ss.revoked_at')
    .where('ss.expires_at', '>', now)
    .whereNull('s.disabled_at')
    .first('s.*');
}

export async function revokeStaffSession(db: Db | Trx, sessionId: string, at: Date): Promise<void> {
  await db('staff_sessions').where({ id: sessionId }).whereNull('revoked_at').update({ revoked_at: at });
}

/** Ends every session of one staff member (password changed, account disabled). */
export async function revokeAllStaffSessions(db: Db | Trx, staffId: string, at: Date): Promise<number> {
  return db('staff_sessions').where({ staff_id: staffId }).whereNull('revoked_at').update({ revoked_at: at });
}

export async function deleteExpiredStaffSessions(db: Db | Trx, before: Date): Promise<number> {
  return db('staff_sessions').where('expires_at', '<', before).delete();
}
