import type { Db, Trx } from '../knex.js';

export interface ResidentSignOut {
  jti: string;
  expires_at: Date;
  signed_out_at: Date;
}

/** Records a signed-out session; signing out twice is no fault. */
export async function insertResidentSignOut(db: Db | Trx, s: ResidentSignOut): Promise<void> {
  await db('resident_sign_outs').insert(s).onConflict('jti').ignore();
}

/** Sign-outs recorded at or after `since` whose token has not yet expired at `now`. */
export async function residentSignOutsSince(
  db: Db | Trx,
  since: Date,
  now: Date,
): Promise<ResidentSignOut[]> {
  return db('resident_sign_outs')
    .where('signed_out_at', '>=', since)
    .where('expires_at', '>', now)
    .select('jti', 'expires_at', 'signed_out_at');
}

export async function deleteExpiredResidentSignOuts(db: Db | Trx, now: Date): Promise<number> {
  return db('resident_sign_outs').where('expires_at', '<=', now).delete();
}
