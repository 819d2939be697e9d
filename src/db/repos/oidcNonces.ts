import type { Db, Trx } from '../knex.js';

/** Marks a nonce proof spent; false when it already was (a replay). One statement, so two racing uses cannot both win. */
export async function spendNonceProof(db: Db | Trx, proofId: string, expiresAt: Date): Promise<boolean> {
  const rows = await db('oidc_spent_nonces')
    .insert({ proof_id: proofId, expires_at: expiresAt })
    .onConflict('proof_id')
    .ignore()
    .returning('proof_id');
  return rows.length === 1;
}

/** Forgets spent proofs that have expired anyway (an expired proof is refused before it is looked up). */
export async function deleteExpiredNonceProofs(db: Db | Trx, before: Date): Promise<number> {
  return db('oidc_spent_nonces').where('expires_at', '<', before).delete();
}
