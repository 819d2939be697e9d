// The claim code index: a keyed digest of each code sent, so a typed code finds its award by primary key.
import type { Db, Trx } from '../knex.js';

export interface IndexedCode {
  digest: Buffer;
  campaign_id: string;
  public_id: string;
}

/** Adds codes as they are sent; sending the same notice again changes nothing. */
export async function indexClaimCodes(trx: Trx, rows: IndexedCode[]): Promise<void> {
  if (rows.length === 0) return;
  await trx('claim_codes').insert(rows).onConflict('digest').ignore();
}

export async function findByClaimCode(
  db: Db | Trx,
  digest: Buffer,
): Promise<{ campaign_id: string; public_id: string } | undefined> {
  return db('claim_codes').select('campaign_id', 'public_id').where({ digest }).first();
}
