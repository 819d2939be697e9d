// Queries on an instant sale's stock rows: set once, take from one row (or several, largest first), give back.
import type { Db, Trx } from '../knex.js';

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

export async function stockTotals(db: Db | Trx, campaignId: string) {
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
