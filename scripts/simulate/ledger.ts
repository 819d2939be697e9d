// What the database says at the end of a simulation: stock, orders by state, who was served, and the checks
// that must hold whatever happened (sold + remaining = initial, one purchase a person, every paid order issued
// or refunded).
import type { Db } from '../../src/db/knex.js';
import { UNIT } from './service.js';

export interface Ledger {
  initial: number;
  remaining: number;
  sold: number;
  orders: number;
  /** live purchases (instant) or awards paid for (lottery) */
  purchases: number;
  paid: number;
  issued: number;
  refunded: number;
  over_limit: number;
  paid_unsettled: number;
  served: Set<string>;
  /** instant: the places in the pre-queue when it was shuffled (the first in line for the stock) */
  pre_queue?: number;
}

const n = (v: unknown) => Number(v ?? 0);

async function orderStates(db: Db, campaignId: string) {
  const rows = await db('orders')
    .where({ campaign_id: campaignId })
    .select('state')
    .count('* as n')
    .groupBy('state');
  const by = Object.fromEntries(rows.map((r) => [r.state as string, n(r.n)]));
  const unsettled = await db('orders')
    .where({ campaign_id: campaignId, state: 'paid' })
    .count('* as n')
    .first();
  return {
    paid: n(by.paid) + n(by.issued) + n(by.refunded),
    issued: n(by.issued),
    refunded: n(by.refunded),
    paid_unsettled: n(unsettled?.n),
  };
}

export async function instantLedger(db: Db, campaignId: string): Promise<Ledger> {
  const stock = await db('instant_stock')
    .where({ campaign_id: campaignId })
    .sum('initial as i')
    .sum('remaining as r')
    .first();
  const live = await db('instant_purchases')
    .where({ campaign_id: campaignId })
    .whereIn('state', ['held', 'paid'])
    .select('identity_id', 'quantity');
  const perPerson = new Map<string, number>();
  for (const p of live) perPerson.set(p.identity_id, (perPerson.get(p.identity_id) ?? 0) + n(p.quantity));
  const served = await db('instant_purchases as p')
    .join('orders as o', 'o.id', 'p.order_id')
    .where('p.campaign_id', campaignId)
    .whereIn('o.state', ['paid', 'issued'])
    .pluck('p.identity_id');
  return {
    initial: n(stock?.i) / UNIT,
    remaining: n(stock?.r) / UNIT,
    sold: live.reduce((s, p) => s + n(p.quantity), 0) / UNIT,
    orders: n(
      (
        await db('orders')
          .where({ campaign_id: campaignId, purpose: 'instant_order' })
          .whereIn('state', ['created', 'pending', 'paid', 'issued'])
          .count('* as n')
          .first()
      )?.n,
    ),
    purchases: live.length,
    over_limit: [...perPerson.values()].filter((q, _) => q > UNIT).length,
    served: new Set(served),
    pre_queue: n(
      (await db('instant_rooms').where({ campaign_id: campaignId }).first('pre_count'))?.pre_count,
    ),
    ...(await orderStates(db, campaignId)),
  };
}

export async function lotteryLedger(db: Db, campaignId: string, stock: number): Promise<Ledger> {
  const issued = await db('orders')
    .where({ campaign_id: campaignId })
    .whereIn('state', ['paid', 'issued'])
    .select('subject', 'face_value');
  const perAward = new Map<string, number>();
  for (const o of issued) perAward.set(o.subject, (perAward.get(o.subject) ?? 0) + 1);
  const served = await db('orders as o')
    .join('applications as a', (j) =>
      j.on('a.campaign_id', 'o.campaign_id').andOn('a.public_id', 'o.subject'),
    )
    .where('o.campaign_id', campaignId)
    .whereIn('o.state', ['paid', 'issued'])
    .pluck('a.identity_id');
  const sold = issued.reduce((s, o) => s + n(o.face_value), 0) / UNIT;
  return {
    initial: stock,
    remaining: stock - sold,
    sold,
    orders: n((await db('orders').where({ campaign_id: campaignId }).count('* as n').first())?.n),
    purchases: perAward.size,
    over_limit: [...perAward.values()].filter((c) => c > 1).length,
    served: new Set(served),
    pre_queue: n(
      (await db('instant_rooms').where({ campaign_id: campaignId }).first('pre_count'))?.pre_count,
    ),
    ...(await orderStates(db, campaignId)),
  };
}

/** Waits (bounded) for the worker to issue what was paid and the ticker to release what failed. */
export async function settle(db: Db, campaignId: string, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const paid = await db('orders').where({ campaign_id: campaignId, state: 'paid' }).count('* as n').first();
    const held = await db('instant_purchases as p')
      .leftJoin('orders as o', 'o.id', 'p.order_id')
      .where({ 'p.campaign_id': campaignId, 'p.state': 'held' })
      .whereIn('o.state', ['failed', 'cancelled', 'expired'])
      .count('* as n')
      .first();
    if (n(paid?.n) === 0 && n(held?.n) === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The sale's notices at the end of the run, by kind and status (sent, still queued at the SMS rate, cancelled). */
export async function noticesOf(db: Db, campaignId: string): Promise<Record<string, Record<string, number>>> {
  const rows = await db('messages')
    .where({ campaign_id: campaignId })
    .select('kind', 'status')
    .count('* as n')
    .groupBy('kind', 'status')
    .orderBy(['kind', 'status']);
  const by: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    const kind = by[r.kind as string] ?? {};
    kind[r.status as string] = n(r.n);
    by[r.kind as string] = kind;
  }
  return by;
}
