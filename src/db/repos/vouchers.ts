// Queries on issued vouchers: recorded once per order and sequence, read for the winner's page.
import type { Db, Trx } from '../knex.js';

export interface VoucherRow {
  number: string;
  order_id: string;
  seq: number;
  campaign_id: string;
  face_value: number;
  valid_until: Date;
  issuer: string;
  issued_at: Date;
}

/** Inserts the set; rows already there (a retried issue) are left as they are. Returns how many are new. */
export async function insertVouchers(trx: Trx, rows: VoucherRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await trx('vouchers')
    .insert(rows)
    .onConflict(['order_id', 'seq'])
    .ignore()
    .returning('number');
  return inserted.length;
}

export async function vouchersOfOrder(db: Db | Trx, orderId: string): Promise<VoucherRow[]> {
  const rows = await db('vouchers').where({ order_id: orderId }).orderBy('seq');
  return rows.map((r) => ({ ...r, face_value: Number(r.face_value) }));
}
