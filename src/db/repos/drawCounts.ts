// The public counts of a drawn campaign (by published outcome, priority group and current status) and its stock
// (per site and slot: awarded and collected), stored once after the draw (commands/storeDrawCounts.ts) and
// moved with every status change in the same transaction, so neither the audit page nor the stock page ever
// aggregates the awards.
//
// Correctness without a gap: computing takes an exclusive advisory lock on the campaign's counts, and a status
// change that finds the counts not ready takes the shared one before it looks again. A change that commits
// before the computation's lock is granted is in the computed aggregate (its delta was skipped: not ready
// yet); one that takes the shared lock later sees the counts ready and moves them. Counts already ready stay
// ready (computed once, in the transaction that marks them), so a change that sees them needs no lock. Deltas
// are applied in key order, so concurrent transactions lock the count rows in the same order and cannot
// deadlock on them.
//
// No shared hot row: the counts by outcome, group and status are spread over DRAW_COUNT_SHARDS rows per key by
// the award's public id (an award stays in its shard), so two collections at once rarely touch the same row;
// readers sum the shards. Stock rows are per site and slot already.
import type { Db, Trx } from '../knex.js';
import type { AwardStatus } from './awards.js';
import { HELD_AMOUNT, HELD_SITE, HELD_SLOT } from './counterAwards.js';

/** Statuses whose award takes stock at its site and slot. */
const TAKES_STOCK = `('won','promoted','collected')`;

export interface DrawCountRow {
  outcome: string;
  group: string;
  status: string;
  count: number;
  amount: number;
}

const lockKey = (campaignId: string) => `draw_counts:${campaignId}`;

/** Rows per count key (migrations/20261203901200_draw_counts_shards.ts); a power of two. */
export const DRAW_COUNT_SHARDS = 64;
const shardOf = (publicId: string) => `(hashtext(${publicId}) & ${DRAW_COUNT_SHARDS - 1})`;

export async function countsReady(db: Db | Trx, campaignId: string): Promise<boolean> {
  return Boolean(await db('draw_counts_ready').where({ campaign_id: campaignId }).first('campaign_id'));
}

/** Holds off every count move of the campaign until the transaction ends (the first computation takes it). */
export async function lockCountsExclusive(trx: Trx, campaignId: string): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [lockKey(campaignId)]);
}

/** Stores the counts by group, published outcome and status, aggregated from the awards. */
export async function insertOutcomeCounts(trx: Trx, campaignId: string): Promise<void> {
  await trx.raw(
    `INSERT INTO draw_counts (campaign_id, group_name, outcome, status, shard, count, amount)
     SELECT a.campaign_id, r.group_name, a.outcome, a.status, ${shardOf('a.public_id')}, count(*), sum(a.amount)
       FROM awards a JOIN roster_entries r ON r.campaign_id = a.campaign_id AND r.public_id = a.public_id
      WHERE a.campaign_id = ?
      GROUP BY 1, 2, 3, 4, 5`,
    [campaignId],
  );
}

/** Stores the stock taken (awarded, collected) per site and slot, aggregated from the awards. */
export async function insertStockCounts(trx: Trx, campaignId: string): Promise<void> {
  await trx.raw(
    `INSERT INTO stock_counts (campaign_id, site_id, slot_id, awarded, collected)
     SELECT a.campaign_id, ${HELD_SITE}, ${HELD_SLOT}, sum(${HELD_AMOUNT}),
            coalesce(sum(${HELD_AMOUNT}) FILTER (WHERE a.status = 'collected'), 0)
       FROM awards a
      WHERE a.campaign_id = ? AND a.status IN ${TAKES_STOCK}
      GROUP BY 1, 2, 3`,
    [campaignId],
  );
}

export async function markCountsReady(trx: Trx, campaignId: string, at: Date): Promise<void> {
  await trx('draw_counts_ready').insert({ campaign_id: campaignId, computed_at: at });
}

export interface StatusMove {
  public_id: string;
  from: AwardStatus;
  to: AwardStatus;
}

/** Moves the counts of these awards from one status to another, in the caller's transaction (after the awards changed). */
export async function moveDrawCounts(
  trx: Trx,
  campaignId: string,
  moves: readonly StatusMove[],
): Promise<void> {
  if (moves.length === 0) return;
  // Counts already ready: moved in one round trip. Not ready yet: wait out a computation, then look again.
  if (await moveIfReady(trx, campaignId, moves)) return;
  await lockCountsShared(trx, campaignId);
  await moveIfReady(trx, campaignId, moves);
}

/** Holds off the first computation of the campaign's counts until the transaction ends (its moves count). */
export async function lockCountsShared(trx: Trx, campaignId: string): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock_shared(hashtextextended(?, 0))', [lockKey(campaignId)]);
}

/** Whether the campaign's counts are ready, as a CTE `ready(ok)`; ? is the campaign id. */
export const READY_CTE = `ready AS (
       SELECT EXISTS (SELECT 1 FROM draw_counts_ready k WHERE k.campaign_id = ?) AS ok
     )`;

/**
 * The columns of CTE `m`, what the count CTEs read, from awards aliased `a` (after the change: a promoted
 * award's new place) and SQL for the status each moves from and to.
 */
export const moveColumns = (from: string, to: string) =>
  `a.campaign_id, a.public_id, a.outcome, a.amount AS award_amount, ${from} AS from_status, ${to} AS to_status,
   ${HELD_SITE} AS site, ${HELD_SLOT} AS slot, ${HELD_AMOUNT} AS amount, ${shardOf('a.public_id')} AS shard`;

/**
 * CTEs `counts` and `stock` moving both tables for the rows of CTE `m` (moveColumns): the counts by outcome,
 * group, status and shard, and the stock per site and slot, taken or given back. Data-modifying CTEs run
 * whether or not the statement's final SELECT reads them.
 */
export const MOVE_COUNTS_CTES = `counts AS (
       INSERT INTO draw_counts (campaign_id, group_name, outcome, status, shard, count, amount)
       SELECT m.campaign_id, r.group_name, m.outcome, s.status, m.shard, sum(s.delta), sum(s.delta * m.award_amount)
         FROM m
         JOIN roster_entries r ON r.campaign_id = m.campaign_id AND r.public_id = m.public_id
         CROSS JOIN LATERAL (VALUES (m.from_status, -1), (m.to_status, 1)) AS s(status, delta)
        GROUP BY m.campaign_id, r.group_name, m.outcome, s.status, m.shard
        ORDER BY m.outcome, r.group_name, s.status, m.shard
       ON CONFLICT (campaign_id, outcome, group_name, status, shard) DO UPDATE
          SET count = draw_counts.count + excluded.count, amount = draw_counts.amount + excluded.amount
       RETURNING 1
     ), stock AS (
       INSERT INTO stock_counts (campaign_id, site_id, slot_id, awarded, collected)
       SELECT m.campaign_id, m.site, m.slot,
              sum(CASE WHEN m.to_status IN ${TAKES_STOCK} THEN m.amount ELSE 0 END
                - CASE WHEN m.from_status IN ${TAKES_STOCK} THEN m.amount ELSE 0 END),
              sum(CASE WHEN m.to_status = 'collected' THEN m.amount ELSE 0 END
                - CASE WHEN m.from_status = 'collected' THEN m.amount ELSE 0 END)
         FROM m
        GROUP BY m.campaign_id, m.site, m.slot
        ORDER BY m.site, m.slot
       ON CONFLICT (campaign_id, site_id, slot_id) DO UPDATE
          SET awarded = stock_counts.awarded + excluded.awarded, collected = stock_counts.collected + excluded.collected
       RETURNING 1
     )`;

/** Both tables in one statement: whether the counts were ready (and so moved). */
async function moveIfReady(trx: Trx, campaignId: string, moves: readonly StatusMove[]): Promise<boolean> {
  const { rows } = await trx.raw(
    `WITH ${READY_CTE}, m AS (
       SELECT ${moveColumns('m.from_status', 'm.to_status')}
         FROM unnest(?::text[], ?::text[], ?::text[]) AS m(public_id, from_status, to_status)
         JOIN awards a ON a.campaign_id = ? AND a.public_id = m.public_id
        WHERE (SELECT ok FROM ready)
     ), ${MOVE_COUNTS_CTES}
     SELECT ok FROM ready`,
    [campaignId, moves.map((m) => m.public_id), moves.map((m) => m.from), moves.map((m) => m.to), campaignId],
  );
  return Boolean(rows[0]?.ok);
}

/** The stored counts, in key order; rows that fell to zero are left out. */
export async function readDrawCounts(db: Db, campaignId: string): Promise<DrawCountRow[]> {
  const { rows } = await db.raw(
    `SELECT outcome, group_name AS "group", status, sum(count)::bigint AS count, sum(amount)::bigint AS amount
       FROM draw_counts
      WHERE campaign_id = ?
      GROUP BY outcome, group_name, status
     HAVING sum(count) > 0
      ORDER BY outcome, group_name, status`,
    [campaignId],
  );
  return rows;
}
