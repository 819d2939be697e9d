// The common instant purchase: concurrent buyers go as one call of instant_buy_many
// (migrations/20261203901400_instant_buy_many.ts, its order pending from 20261203901700), one round trip and one
// commit for them all, each buyer answered on its own after the commit. A refusal comes back as a name; nothing of
// that buyer was written then.
import { type Batched, batched } from '../batch.js';
import type { Db } from '../knex.js';
import { preparedStatement } from '../prepared.js';

export interface HomeRowBuy {
  campaign_id: string;
  identity_id: string;
  jti: string;
  now: Date;
  home: number;
  purchase_id: string;
  public_id: string;
  quantity: number;
  idempotency_key: string;
  fingerprint: string;
  hold_expires_at: Date;
  order_id: string;
  payment_id: string;
  request_hash: string;
  amount: number;
  provider: string;
  /** the order's first look by the payment reconciler */
  next_check_at: Date;
  /** the order's answer (its OrderView with the checkout's address), kept for replays */
  response: Record<string, unknown>;
}

/** admission_used: no live token; purchase_refused: a live purchase or a closed sale; home_row_dry: no single row can serve it */
export type HomeRowRefusal = 'admission_used' | 'purchase_refused' | 'home_row_dry';

const buyMany = preparedStatement(
  'instant_buy_many',
  'SELECT n, refusal FROM instant_buy_many(:items::json)',
);

/** Many buyers in one statement, answers in the order given; atomic, so a failure leaves nothing written. */
export async function buyFromHomeRows(
  db: Db,
  buys: HomeRowBuy[],
): Promise<Array<HomeRowRefusal | undefined>> {
  const { rows } = await buyMany<{ n: number; refusal: HomeRowRefusal | null }>(db, {
    items: JSON.stringify(buys.map((b, n) => ({ ...b, n }))),
  });
  const answers = new Array<HomeRowRefusal | undefined>(buys.length);
  for (const r of rows) answers[r.n] = r.refusal ?? undefined;
  if (rows.length !== buys.length) throw new Error('instant_buy_many answered for another number of buyers');
  return answers;
}

export async function buyAlone(db: Db, b: HomeRowBuy): Promise<HomeRowRefusal | undefined> {
  return (await buyFromHomeRows(db, [b]))[0];
}

/**
 * A process's concurrent buyers, batched (db/batch.ts): those arriving while `lanes` calls are at the database go
 * together. A lone buyer goes through the same function, so every buy locks the stock rows the same way.
 */
export function batchedBuys(db: Db, lanes: number): Batched<HomeRowBuy, HomeRowRefusal | undefined> {
  return batched({
    one: (b) => buyAlone(db, b),
    many: (bs) => buyFromHomeRows(db, bs),
    lanes,
    maxBatch: 100,
  });
}
