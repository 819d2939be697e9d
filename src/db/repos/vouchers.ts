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

/** Rows a statement: 8 bind parameters a row, under PostgreSQL's 65,535 (a batch of orders of 100 vouchers each). */
const ROWS_A_STATEMENT = 5000;

/** Inserts the sets; rows already there (a retried issue) are left as they are. Returns how many are new. */
export async function insertVouchers(trx: Trx, rows: VoucherRow[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < rows.length; i += ROWS_A_STATEMENT) {
    const inserted = await trx('vouchers')
      .insert(rows.slice(i, i + ROWS_A_STATEMENT))
      .onConflict(['order_id', 'seq'])
      .ignore()
      .returning('number');
    added += inserted.length;
  }
  return added;
}

export async function vouchersOfOrder(db: Db | Trx, orderId: string): Promise<VoucherRow[]> {
  const rows = await db('vouchers').where({ order_id: orderId }).orderBy('seq');
  return rows.map((r) => ({ ...r, face_value: Number(r.face_value) }));
}
