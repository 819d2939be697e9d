// Queries on orders: create once per key, lock, forward-only moves (the state is in the WHERE), the reconciler's list.
import type { OrderPurpose, OrderState } from '../../domain/payments/order.js';
import type { Db, Trx } from '../knex.js';
import type { Recipient } from './recipients.js';

export interface OrderRow {
  id: string;
  purpose: OrderPurpose;
  campaign_id: string;
  subject: string;
  idempotency_key: string;
  request_hash: string;
  face_value: number;
  amount: number;
  currency: string;
  provider: string;
  payment_id: string;
  state: OrderState;
  expires_at: Date;
  next_check_at: Date;
  checks: number;
  paid_amount: number | null;
  provider_tx_id: string | null;
  failure_code: string | null;
  failure_message: string | null;
  refund_reason: string | null;
  refund_requested_at: Date | null;
  refunded_amount: number | null;
  response: Record<string, unknown>;
  created_at: Date;
  pending_at: Date | null;
  paid_at: Date | null;
  issued_at: Date | null;
  failed_at: Date | null;
  cancelled_at: Date | null;
  expired_at: Date | null;
  refunded_at: Date | null;
  updated_at: Date;
}

export type NewOrder = Pick<
  OrderRow,
  | 'purpose'
  | 'campaign_id'
  | 'subject'
  | 'idempotency_key'
  | 'request_hash'
  | 'face_value'
  | 'amount'
  | 'provider'
  | 'expires_at'
  | 'created_at'
> & { id: string; payment_id: string };

// bigint columns come back as strings from pg; orders stay far below 2^53 KRW.
const MONEY = ['face_value', 'amount', 'paid_amount', 'refunded_amount'] as const;
export function orderOf(row: Record<string, unknown> | undefined): OrderRow | undefined {
  if (!row) return undefined;
  for (const k of MONEY) if (row[k] !== null && row[k] !== undefined) row[k] = Number(row[k]);
  return row as unknown as OrderRow;
}

/**
 * What an order created already pending carries: an instant sale's, whose checkout address is known before
 * commit and whose registration with the provider comes after it (commands/instant/purchase.ts).
 */
export interface PendingAtCreation {
  next_check_at: Date;
  response: Record<string, unknown>;
}

/** Inserts unless the key was used or the subject already has a live order; undefined then. */
export async function insertOrder(
  trx: Trx,
  o: NewOrder,
  pending?: PendingAtCreation,
): Promise<OrderRow | undefined> {
  const { rows } = await trx.raw(
    `INSERT INTO orders (id, purpose, campaign_id, subject, idempotency_key, request_hash, face_value, amount,
                         provider, payment_id, expires_at, state, pending_at, next_check_at, response,
                         created_at, updated_at)
     VALUES (:id, :purpose, :campaign_id, :subject, :idempotency_key, :request_hash, :face_value, :amount,
             :provider, :payment_id, :expires_at, :state, :pending_at, :next_check_at, :response,
             :created_at, :created_at)
     ON CONFLICT DO NOTHING RETURNING *`,
    {
      ...o,
      state: pending ? 'pending' : 'created',
      pending_at: pending ? o.created_at : null,
      next_check_at: pending?.next_check_at ?? o.created_at,
      response: JSON.stringify(pending?.response ?? {}),
    },
  );
  return orderOf(rows[0]);
}

export async function findOrderByKey(db: Db | Trx, campaignId: string, subject: string, key: string) {
  return orderOf(
    await db('orders').where({ campaign_id: campaignId, subject, idempotency_key: key }).first(),
  );
}

export async function findLiveOrder(
  db: Db | Trx,
  purpose: OrderPurpose,
  campaignId: string,
  subject: string,
) {
  return orderOf(
    await db('orders')
      .where({ purpose, campaign_id: campaignId, subject })
      .whereIn('state', ['created', 'pending', 'paid', 'issued'])
      .first(),
  );
}

export async function findOrder(db: Db | Trx, id: string) {
  return orderOf(await db('orders').where({ id }).first());
}

/** An instant purchase's payment order, by the purchase's public id: the return from its checkout. */
export async function findOrderOfPurchase(db: Db | Trx, campaignId: string, publicId: string) {
  return orderOf(
    await db('instant_purchases as p')
      .join('orders as o', 'o.id', 'p.order_id')
      .where({ 'p.campaign_id': campaignId, 'p.public_id': publicId })
      .first('o.*'),
  );
}

/** These orders (findOrder for each), in one statement; the missing ones are not among them. */
export async function findOrders(db: Db | Trx, ids: readonly string[]): Promise<OrderRow[]> {
  if (ids.length === 0) return [];
  const rows = await db('orders').whereIn('id', [...ids]);
  return rows.map((r) => orderOf(r)!);
}

export async function findOrderByPaymentId(db: Db | Trx, paymentId: string) {
  return orderOf(await db('orders').where({ payment_id: paymentId }).first());
}

export async function lockOrder(trx: Trx, id: string) {
  return orderOf(await trx('orders').where({ id }).forUpdate().first());
}

/** These orders, locked in id order: batches lock alike, so two never wait on each other in a cycle. */
export async function lockOrders(trx: Trx, ids: readonly string[]): Promise<OrderRow[]> {
  if (ids.length === 0) return [];
  const rows = await trx('orders').whereIn('id', ids).orderBy('id').forUpdate();
  return rows.map((r) => orderOf(r)!);
}

/** The newest orders of a subject, for the resident's page. */
export async function ordersOfSubject(db: Db | Trx, campaignId: string, subject: string) {
  const rows = await db('orders').where({ campaign_id: campaignId, subject }).orderBy('created_at', 'desc');
  return rows.map((r) => orderOf(r)!);
}

/** Moves an order from one state to the next; undefined when it was no longer in `from`. */
export async function moveOrder(
  trx: Trx,
  id: string,
  from: OrderState,
  to: OrderState,
  set: Partial<OrderRow>,
): Promise<OrderRow | undefined> {
  const [row] = await trx('orders')
    .where({ id, state: from })
    .update({ ...set, state: to })
    .returning('*');
  return orderOf(row);
}

export interface PaidMove {
  id: string;
  from: OrderState;
  amount: number;
  tx: string | null;
}

/** Open orders moved to paid with the provider's amount and transaction, in one statement: those that moved. */
export async function moveOrdersPaid(trx: Trx, moves: readonly PaidMove[], now: Date): Promise<OrderRow[]> {
  if (moves.length === 0) return [];
  const { rows } = await trx.raw(
    `UPDATE orders o SET state = 'paid', paid_amount = r.amount, paid_at = ?, provider_tx_id = r.tx, updated_at = ?
       FROM json_to_recordset(?::json) AS r(id uuid, from_state text, amount bigint, tx text)
      WHERE o.id = r.id AND o.state = r.from_state
      RETURNING o.*`,
    [
      now,
      now,
      JSON.stringify(moves.map((m) => ({ id: m.id, from_state: m.from, amount: m.amount, tx: m.tx }))),
    ],
  );
  return (rows as Array<Record<string, unknown>>).map((r) => orderOf(r)!);
}

/** Paid orders moved to issued, in one statement: the ids of those that moved. */
export async function moveOrdersIssued(trx: Trx, ids: readonly string[], now: Date): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await trx.raw(
    `UPDATE orders SET state = 'issued', issued_at = ?, updated_at = ?
      WHERE id = ANY(?::uuid[]) AND state = 'paid'
      RETURNING id`,
    [now, now, [...ids]],
  );
  return (rows as Array<{ id: string }>).map((r) => r.id);
}

export async function updateOrder(trx: Trx, id: string, set: Partial<OrderRow>) {
  const [row] = await trx('orders').where({ id }).update(set).returning('*');
  return orderOf(row);
}

export async function setOrderResponse(trx: Trx | Db, id: string, response: Record<string, unknown>) {
  await trx('orders')
    .where({ id })
    .update({ response: JSON.stringify(response) });
}

/**
 * Orders whose check is due, oldest first: open ones, and ones closed without money for `lateWindowMs` (a
 * checkout can still complete after we gave up on it, and its webhook may be lost). SKIP LOCKED lets
 * instances share the list.
 */
export async function lockDueOrders(trx: Trx, now: Date, lateWindowMs: number, limit: number) {
  const since = new Date(now.getTime() - lateWindowMs);
  const rows = await trx('orders')
    .where((q) =>
      q
        .whereIn('state', ['created', 'pending'])
        .orWhere((c) =>
          c
            .whereIn('state', ['failed', 'cancelled', 'expired'])
            .whereNull('paid_amount')
            .andWhere('updated_at', '>', since),
        ),
    )
    .andWhere('next_check_at', '<=', now)
    .orderBy('next_check_at')
    .limit(limit)
    .forUpdate()
    .skipLocked();
  return rows.map((r) => orderOf(r)!);
}

/** Paid orders still not issued `staleMs` after payment (their issue job lost its worker), and refunds not done. */
export async function stuckOrders(db: Db, now: Date, staleMs: number, limit: number) {
  const before = new Date(now.getTime() - staleMs);
  const rows = await db('orders')
    .where((q) => q.where('state', 'paid').whereNull('refund_requested_at').andWhere('paid_at', '<', before))
    .orWhere((q) =>
      q
        .whereNotNull('refund_requested_at')
        .whereNull('refunded_at')
        .andWhere('refund_requested_at', '<', before),
    )
    .orderBy('updated_at')
    .limit(limit);
  return rows.map((r) => orderOf(r)!);
}

/** Enqueues a graphile-worker job in the caller's transaction; the key makes a second enqueue a no-op. */
export async function addOrderJob(trx: Trx, task: string, orderId: string): Promise<void> {
  await trx.raw(
    `SELECT graphile_worker.add_job(?, json_build_object('order_id', ?::text), job_key := ?,
                                    job_key_mode := 'preserve_run_at', max_attempts := 25)`,
    [task, orderId, `${task}:${orderId}`],
  );
}

/**
 * One job for these orders, in the caller's transaction (none when there are none): a job an order cost a
 * transaction on the queue's tables to add and another to take. No key: an order moves to paid once, and
 * the job's work finds an order already done and leaves it.
 */
export async function addOrdersJob(trx: Trx, task: string, orderIds: readonly string[]): Promise<void> {
  if (orderIds.length === 0) return;
  await trx.raw(
    `SELECT graphile_worker.add_job(?, json_build_object('order_ids', ?::text[]), max_attempts := 25)`,
    [task, [...orderIds]],
  );
}

/**
 * Who is told about an order, and which of their pages shows it: the applicant behind an award's public id
 * (their application page), or the buyer behind an instant purchase's (their place in the sale's queue).
 */
export type OrderRecipient = Recipient & { page: 'application' | 'queue' };

export async function orderRecipient(db: Db | Trx, campaignId: string, publicId: string) {
  return (await orderRecipients(db, [{ campaign_id: campaignId, public_id: publicId }])).get(
    `${campaignId} ${publicId}`,
  );
}

/** orderRecipient for each of these subjects, in one statement, keyed by `<campaign id> <public id>`. */
export async function orderRecipients(
  db: Db | Trx,
  subjects: ReadonlyArray<{ campaign_id: string; public_id: string }>,
): Promise<Map<string, OrderRecipient>> {
  if (subjects.length === 0) return new Map();
  const { rows } = await db.raw(
    `WITH s AS (SELECT * FROM json_to_recordset(?::json) AS s(campaign_id uuid, public_id text))
     SELECT a.campaign_id, a.id AS application_id, a.public_id, a.contact_channel, a.contact_enc, a.lang,
            'application' AS page
       FROM s JOIN applications a ON a.campaign_id = s.campaign_id AND a.public_id = s.public_id
     UNION ALL
     SELECT p.campaign_id, NULL, p.public_id, q.contact_channel, q.contact_enc, q.lang, 'queue'
       FROM s JOIN instant_purchases p ON p.campaign_id = s.campaign_id AND p.public_id = s.public_id
       JOIN instant_queue q ON q.campaign_id = p.campaign_id AND q.identity_id = p.identity_id
     ORDER BY page`,
    [JSON.stringify(subjects)],
  );
  const found = new Map<string, OrderRecipient>();
  for (const { campaign_id, ...r } of rows as Array<OrderRecipient & { campaign_id: string }>) {
    const key = `${campaign_id} ${r.public_id}`;
    if (!found.has(key)) found.set(key, r);
  }
  return found;
}

/** The public id of the signed-in resident's application in a campaign. */
export async function publicIdOfIdentity(db: Db | Trx, campaignId: string, identityId: string) {
  const row = await db('applications')
    .where({ campaign_id: campaignId, identity_id: identityId })
    .first('public_id');
  return row?.public_id as string | undefined;
}
