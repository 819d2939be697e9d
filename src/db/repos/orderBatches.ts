// Queries on many orders at once, for award orders created and moved to pending together
// (commands/payments/awardOrderWrites.ts): one statement for a batch where orders.ts has one an order.
import type { Trx } from '../knex.js';
import { type NewOrder, type OrderRow, orderOf } from './orders.js';

export interface OrderKey {
  campaign_id: string;
  subject: string;
  idempotency_key: string;
}

/** The orders already made under these keys (findOrderByKey for each), in one statement. */
export async function findOrdersByKeys(trx: Trx, keys: readonly OrderKey[]): Promise<OrderRow[]> {
  if (keys.length === 0) return [];
  const { rows } = await trx.raw(
    `SELECT o.* FROM orders o
       JOIN json_to_recordset(?::json) AS k(campaign_id uuid, subject text, idempotency_key text)
         ON o.campaign_id = k.campaign_id AND o.subject = k.subject AND o.idempotency_key = k.idempotency_key`,
    [JSON.stringify(keys)],
  );
  return (rows as Array<Record<string, unknown>>).map((r) => orderOf(r)!);
}

/**
 * These orders inserted, created (insertOrder without a pending answer for each), in one statement: those
 * inserted; one whose key was used or whose subject already has a live order is not among them.
 */
export async function insertOrders(trx: Trx, orders: readonly NewOrder[]): Promise<OrderRow[]> {
  if (orders.length === 0) return [];
  const { rows } = await trx.raw(
    `INSERT INTO orders (id, purpose, campaign_id, subject, idempotency_key, request_hash, face_value, amount,
                         provider, payment_id, expires_at, state, next_check_at, created_at, updated_at)
     SELECT r.id, r.purpose, r.campaign_id, r.subject, r.idempotency_key, r.request_hash, r.face_value, r.amount,
            r.provider, r.payment_id, r.expires_at, 'created', r.created_at, r.created_at, r.created_at
       FROM json_to_recordset(?::json) AS r(id uuid, purpose text, campaign_id uuid, subject text,
            idempotency_key text, request_hash text, face_value bigint, amount bigint, provider text,
            payment_id text, expires_at timestamptz, created_at timestamptz)
     ON CONFLICT DO NOTHING RETURNING *`,
    [JSON.stringify(orders)],
  );
  return (rows as Array<Record<string, unknown>>).map((r) => orderOf(r)!);
}

export interface PendingMove {
  id: string;
  /** the answer kept for replays */
  response: Record<string, unknown>;
}

/** Created orders moved to pending with their answers, in one statement (moveOrder and setOrderResponse for each). */
export async function moveOrdersPending(
  trx: Trx,
  moves: readonly PendingMove[],
  now: Date,
): Promise<OrderRow[]> {
  if (moves.length === 0) return [];
  const { rows } = await trx.raw(
    `UPDATE orders o SET state = 'pending', pending_at = ?, updated_at = ?, response = r.response
       FROM json_to_recordset(?::json) AS r(id uuid, response jsonb)
      WHERE o.id = r.id AND o.state = 'created'
      RETURNING o.*`,
    [now, now, JSON.stringify(moves)],
  );
  return (rows as Array<Record<string, unknown>>).map((r) => orderOf(r)!);
}
