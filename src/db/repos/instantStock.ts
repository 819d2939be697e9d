// Queries on an instant sale's stock rows: set once, take from one row (or several, largest first), give back.
import { type Batched, batched } from '../batch.js';
import type { Db, Trx } from '../knex.js';
import { preparedStatement } from '../prepared.js';

export async function insertStockOnce(trx: Trx, campaignId: string, amounts: number[]): Promise<void> {
  await trx('instant_stock')
    .insert(amounts.map((a, shard) => ({ campaign_id: campaignId, shard, initial: a, remaining: a })))
    .onConflict(['campaign_id', 'shard'])
    .ignore();
}

/** The common case: the buyer's home row has enough. One statement, one row lock. */
export async function takeFromShard(trx: Trx, campaignId: string, shard: number, quantity: number) {
  const n = await trx('instant_stock')
    .where({ campaign_id: campaignId, shard })
    .where('remaining', '>=', quantity)
    .decrement('remaining', quantity);
  return n === 1;
}

/** The home row ran dry: every row with stock, locked in shard order (a fixed order cannot deadlock). */
export async function lockRowsWithStock(trx: Trx, campaignId: string) {
  const rows = await trx('instant_stock')
    .select('shard', 'remaining')
    .where({ campaign_id: campaignId })
    .where('remaining', '>', 0)
    .orderBy('shard')
    .forUpdate();
  return rows as Array<{ shard: number; remaining: number }>;
}

export async function takeExactly(trx: Trx, campaignId: string, shard: number, quantity: number) {
  await trx('instant_stock').where({ campaign_id: campaignId, shard }).decrement('remaining', quantity);
}

export async function giveBack(
  trx: Trx,
  campaignId: string,
  takes: Array<{ shard: number; quantity: number }>,
) {
  for (const t of takes) {
    await trx('instant_stock')
      .where({ campaign_id: campaignId, shard: t.shard })
      .increment('remaining', t.quantity);
  }
}

export interface StockTotals {
  initial: number;
  remaining: number;
  rows: number;
}

export async function stockTotals(db: Db | Trx, campaignId: string): Promise<StockTotals> {
  const row = await db('instant_stock')
    .where({ campaign_id: campaignId })
    .sum('initial as initial')
    .sum('remaining as remaining')
    .count('* as rows')
    .first();
  return {
    initial: Number(row?.initial ?? 0),
    remaining: Number(row?.remaining ?? 0),
    rows: Number(row?.rows ?? 0),
  };
}

const totalsOfMany = preparedStatement(
  'instant_stock_totals_many',
  `SELECT campaign_id, sum(initial) AS initial, sum(remaining) AS remaining, count(*) AS rows
     FROM instant_stock WHERE campaign_id = ANY(:campaign_ids::uuid[]) GROUP BY campaign_id`,
);

/** stockTotals for each sale given, in one statement, answers in the order given (a sale read once). */
export async function stockTotalsOfMany(db: Db, campaignIds: string[]): Promise<StockTotals[]> {
  const { rows } = await totalsOfMany<StockTotals & { campaign_id: string }>(db, {
    campaign_ids: [...new Set(campaignIds)],
  });
  const of = new Map(rows.map((r) => [r.campaign_id, r]));
  return campaignIds.map((id) => {
    const r = of.get(id);
    return {
      initial: Number(r?.initial ?? 0),
      remaining: Number(r?.remaining ?? 0),
      rows: Number(r?.rows ?? 0),
    };
  });
}

/**
 * A process's reads of the stock left arriving together go as one statement (db/batch.ts): once a sale has sold
 * out, every buyer of a batch refused for a dry row reads it at once to be told so.
 */
export function batchedStockTotals(db: Db, lanes: number): Batched<string, StockTotals> {
  return batched({
    one: (id) => stockTotals(db, id),
    many: (ids) => stockTotalsOfMany(db, ids),
    lanes,
    maxBatch: 200,
  });
}
