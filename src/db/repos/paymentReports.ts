// What the city's admin and accountants see of a campaign's payments: totals per state, and every order.
import type { Db } from '../knex.js';

export interface PaymentSummary {
  by_state: Array<{ state: string; count: number; amount: number }>;
  /** money kept: paid and not given back */
  sum_paid: number;
  refunds: { count: number; amount: number; pending: number };
  vouchers: { count: number; face_value: number };
}

export async function paymentSummary(db: Db, campaignId: string): Promise<PaymentSummary> {
  const [byState, money, vouchers] = await Promise.all([
    db.raw(
      `SELECT state, count(*)::int AS count, coalesce(sum(amount), 0)::bigint AS amount
         FROM orders WHERE campaign_id = ? GROUP BY state ORDER BY state`,
      [campaignId],
    ),
    db.raw(
      `SELECT coalesce(sum(paid_amount), 0)::bigint AS paid,
              coalesce(sum(refunded_amount), 0)::bigint AS refunded,
              count(*) FILTER (WHERE refunded_at IS NOT NULL)::int AS refunds,
              count(*) FILTER (WHERE refund_requested_at IS NOT NULL AND refunded_at IS NULL)::int AS pending
         FROM orders WHERE campaign_id = ?`,
      [campaignId],
    ),
    db.raw(
      `SELECT count(*)::int AS count, coalesce(sum(face_value), 0)::bigint AS face FROM vouchers WHERE campaign_id = ?`,
      [campaignId],
    ),
  ]);
  const m = money.rows[0];
  return {
    by_state: byState.rows.map((r: { state: string; count: number; amount: string }) => ({
      state: r.state,
      count: r.count,
      amount: Number(r.amount),
    })),
    sum_paid: Number(m.paid) - Number(m.refunded),
    refunds: { count: m.refunds, amount: Number(m.refunded), pending: m.pending },
    vouchers: { count: vouchers.rows[0].count, face_value: Number(vouchers.rows[0].face) },
  };
}

/** Columns of the accounting export: amounts, dates, order ids and the public id; nothing personal. */
export const ORDER_CSV_COLUMNS = [
  'order_id',
  'public_id',
  'purpose',
  'state',
  'face_value',
  'amount',
  'paid_amount',
  'refunded_amount',
  'refund_reason',
  'currency',
  'provider',
  'payment_id',
  'provider_tx_id',
  'vouchers',
  'created_at',
  'paid_at',
  'issued_at',
  'refunded_at',
  'failed_at',
  'cancelled_at',
  'expired_at',
] as const;

export async function ordersForExport(db: Db, campaignId: string) {
  const { rows } = await db.raw(
    `SELECT o.id AS order_id, o.subject AS public_id, o.purpose, o.state, o.face_value, o.amount, o.paid_amount,
            o.refunded_amount, o.refund_reason, o.currency, o.provider, o.payment_id, o.provider_tx_id,
            (SELECT count(*)::int FROM vouchers v WHERE v.order_id = o.id) AS vouchers,
            o.created_at, o.paid_at, o.issued_at, o.refunded_at, o.failed_at, o.cancelled_at, o.expired_at
       FROM orders o WHERE o.campaign_id = ? ORDER BY o.created_at, o.id`,
    [campaignId],
  );
  return rows as Array<Record<(typeof ORDER_CSV_COLUMNS)[number], unknown>>;
}

export async function recentOrders(db: Db, campaignId: string, limit = 50) {
  const rows = await db('orders')
    .where({ campaign_id: campaignId })
    .orderBy('updated_at', 'desc')
    .limit(limit)
    .select('id', 'subject', 'state', 'face_value', 'amount', 'paid_amount', 'created_at', 'updated_at');
  return rows.map((r) => ({ ...r, face_value: Number(r.face_value), amount: Number(r.amount) }));
}
