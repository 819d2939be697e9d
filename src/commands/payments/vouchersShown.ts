// An order's vouchers as their holder sees them, on a lottery winner's page, an instant buyer's place in the sale
// and the APIs of both: number, face value, and until when each is valid (also as the day in the campaign's time
// zone, the day the page and the notice give). None until the order is issued.
import type { Db, Trx } from '../../db/knex.js';
import { vouchersOfOrder } from '../../db/repos/vouchers.js';
import { validUntilDay } from '../../domain/payments/order.js';

export interface VoucherShown {
  number: string;
  face_value: number;
  valid_until: string;
  /** yyyy-MM-dd in the campaign's time zone */
  valid_until_day: string;
}

export async function vouchersShown(
  db: Db | Trx,
  order: { id: string; state: string } | undefined,
  timeZone: string,
): Promise<VoucherShown[]> {
  if (order?.state !== 'issued') return [];
  return (await vouchersOfOrder(db, order.id)).map((v) => ({
    number: v.number,
    face_value: v.face_value,
    valid_until: v.valid_until.toISOString(),
    valid_until_day: validUntilDay(v.valid_until, timeZone),
  }));
}
