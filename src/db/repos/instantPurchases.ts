// Queries on instant-sale purchases: insert first (the per-person key), read by key, holds that ran out.
import type { Db, Trx } from '../knex.js';

export interface PurchaseRow {
  id: string;
  public_id: string;
  campaign_id: string;
  identity_id: string;
  quantity: number;
  idempotency_key: string;
  fingerprint: string;
  state: 'held' | 'paid' | 'released';
  takes: Array<{ shard: number; quantity: number }>;
  order_id: string | null;
  hold_expires_at: Date;
  created_at: Date;
  paid_at: Date | null;
  released_at: Date | null;
  release_reason: string | null;
}

/**
 * SQL: whether any purchase of the sale named by `campaignIdSql` (a column or parameter of the enclosing query)
 * still holds stock; one probe of instant_purchases_held_idx, partial on state 'held'.
 */
export const holdsLive = (campaignIdSql: string) =>
  `EXISTS (SELECT 1 FROM instant_purchases h WHERE h.campaign_id = ${campaignIdSql} AND h.state = 'held')`;

export type NewPurchase = Pick<
  PurchaseRow,
  | 'id'
  | 'public_id'
  | 'campaign_id'
  | 'identity_id'
  | 'quantity'
  | 'idempotency_key'
  | 'fingerprint'
  | 'hold_expires_at'
  | 'created_at'
>;

const rowOf = (r: Record<string, unknown> | undefined) =>
  r ? ({ ...r, quantity: Number(r.quantity) } as unknown as PurchaseRow) : undefined;

/**
 * Inserted before any stock is taken: a second live purchase by the same person hits the unique key. The sale's
 * window is the database clock's, checked in the statement. Nothing comes back on either refusal.
 */
export async function insertPurchase(trx: Trx, p: NewPurchase): Promise<PurchaseRow | undefined> {
  const { rows } = await trx.raw(
    `INSERT INTO instant_purchases (id, public_id, campaign_id, identity_id, quantity, idempotency_key,
                                    fingerprint, takes, hold_expires_at, created_at)
     SELECT :id, :public_id, c.id, :identity_id, :quantity, :idempotency_key, :fingerprint, '[]',
            :hold_expires_at, :created_at
       FROM campaigns c
      WHERE c.id = :campaign_id AND c.state = 'open' AND now() >= c.opens_at AND now() < c.closes_at
     ON CONFLICT DO NOTHING RETURNING *`,
    p,
  );
  return rowOf(rows[0]);
}

export async function findPurchaseByKey(db: Db | Trx, campaignId: string, identityId: string, key: string) {
  return rowOf(
    await db('instant_purchases')
      .where({ campaign_id: campaignId, identity_id: identityId, idempotency_key: key })
      .first(),
  );
}

export async function findLivePurchase(db: Db | Trx, campaignId: string, identityId: string) {
  return rowOf(
    await db('instant_purchases')
      .where({ campaign_id: campaignId, identity_id: identityId })
      .whereIn('state', ['held', 'paid'])
      .first(),
  );
}

export async function completePurchase(
  trx: Trx,
  id: string,
  set: { takes: PurchaseRow['takes']; order_id: string },
) {
  await trx('instant_purchases')
    .where({ id })
    .update({ takes: JSON.stringify(set.takes), order_id: set.order_id });
}

/**
 * Held purchases whose order was paid: marked paid, those another settlement has locked left to it (SKIP LOCKED:
 * two instances each holding its own expired holds and waiting for the other's deadlocked). Held purchases whose
 * hold ran out or whose order closed unpaid: locked for release (SKIP LOCKED, so two tickers share the work).
 */
export async function markPaidPurchases(trx: Trx, campaignId: string, now: Date): Promise<number> {
  const { rowCount } = await trx.raw(
    `UPDATE instant_purchases SET state = 'paid', paid_at = :now
      WHERE id IN (SELECT p.id FROM instant_purchases p JOIN orders o ON o.id = p.order_id
                    WHERE p.campaign_id = :campaign_id AND p.state = 'held'
                      AND o.state IN ('paid', 'issued') AND o.refund_requested_at IS NULL
                    FOR UPDATE OF p SKIP LOCKED)`,
    { campaign_id: campaignId, now },
  );
  return rowCount ?? 0;
}

/** `everyHold`: the sale was cancelled, so every held purchase is a candidate, its hold run out or not. */
export async function lockPurchasesToRelease(
  trx: Trx,
  campaignId: string,
  now: Date,
  limit: number,
  everyHold = false,
) {
  const { rows } = await trx.raw(
    `SELECT p.* FROM instant_purchases p LEFT JOIN orders o ON o.id = p.order_id
      WHERE p.campaign_id = :campaign_id AND p.state = 'held'
        AND (:every_hold OR p.hold_expires_at <= :now OR o.state IN ('failed', 'cancelled', 'expired', 'refunded')
             OR o.refund_requested_at IS NOT NULL)
      ORDER BY p.hold_expires_at LIMIT :limit
      FOR UPDATE OF p SKIP LOCKED`,
    { campaign_id: campaignId, now, limit, every_hold: everyHold },
  );
  return (rows as Record<string, unknown>[]).map((r) => rowOf(r)!);
}

/** Up to `limit` purchases not yet in the audit log, oldest first, marked as recorded now. */
export async function markAudited(trx: Trx, campaignId: string, now: Date, limit: number) {
  const { rows } = await trx.raw(
    `UPDATE instant_purchases SET audited_at = :now
      WHERE id IN (SELECT id FROM instant_purchases
                    WHERE campaign_id = :campaign_id AND audited_at IS NULL
                    ORDER BY created_at, public_id LIMIT :limit FOR UPDATE SKIP LOCKED)
      RETURNING public_id, quantity, created_at`,
    { campaign_id: campaignId, now, limit },
  );
  return (rows as Array<{ public_id: string; quantity: string | number; created_at: Date }>)
    .map((r) => ({ ...r, quantity: Number(r.quantity) }))
    .sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.public_id < b.public_id ? -1 : 1));
}

export async function markReleased(trx: Trx, id: string, reason: string, now: Date) {
  await trx('instant_purchases')
    .where({ id, state: 'held' })
    .update({ state: 'released', released_at: now, release_reason: reason });
}

export async function purchaseTotals(db: Db | Trx, campaignId: string) {
  const row = await db('instant_purchases')
    .where({ campaign_id: campaignId })
    .whereIn('state', ['held', 'paid'])
    .sum('quantity as sold')
    .count('* as purchases')
    .first();
  return { sold: Number(row?.sold ?? 0), purchases: Number(row?.purchases ?? 0) };
}
