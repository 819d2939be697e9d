// The database's purchase ceiling, measured in the same run (DESIGN section 9: report a ratio to a ceiling): more
// sales of the same stock on the same database (three, the median taken), their buyers admitted by the service's
// own pass, then every purchase sent as the service sends them (instant_buy_many in batches, BUY_LANES at a time),
// straight from this process: no HTTP, no looks, no joins, no provider. What the sell-out reached of it is the share
// the path in front of the database (one event loop answering looks, joins and buys) left.
import { createHash, randomUUID } from 'node:crypto';
import { BUY_LANES, STOCK_ROWS } from '../../src/commands/instant/context.js';
import { batchedBuys, type HomeRowBuy } from '../../src/db/repos/instantBuy.js';
import { joinRooms } from '../../src/db/repos/instantJoins.js';
import { homeShard, purchaseFingerprint } from '../../src/domain/instant/purchase.js';
import { priceOf } from '../../src/domain/payments/order.js';
import { percentile } from '../bench/env.js';
import {
  type City,
  createSale,
  RUSH_HOLD_SECONDS,
  RUSH_MAX_ACTIVE,
  setRushRules,
  UNIT,
  untilRoom,
} from './service.js';

export interface Ceiling {
  /** purchases a round */
  orders: number;
  /** each round's orders/s */
  rounds: number[];
  /** the median round's (bench/env's percentile at 50) */
  orders_per_s: number;
}

/**
 * The stock's purchases sent straight to the database, timed, in `rounds` sales of their own (the median said: one
 * round lasts well under a second on a machine that others share), each bought by the first of `people`.
 */
export async function purchaseCeiling(
  city: City,
  people: ReadonlyArray<{ id: string }>,
  stock: number,
  rounds = 3,
): Promise<Ceiling> {
  // no more than the rush rules let hold a turn at once: every buyer is admitted before the first buys
  const buyers = people.slice(0, Math.min(stock, RUSH_MAX_ACTIVE));
  const rates: number[] = [];
  for (let r = 1; r <= rounds; r++) rates.push(buyers.length / (await timedRound(city, buyers, `C${r}`)));
  const sorted = [...rates].sort((x, y) => x - y);
  return { orders: buyers.length, rounds: rates, orders_per_s: percentile(sorted, 50) };
}

/** One sale of `buyers.length` units, one bought by each; seconds from the first buy sent to the last answer. */
async function timedRound(city: City, buyers: ReadonlyArray<{ id: string }>, codeSuffix: string) {
  const db = city.bench.db;
  const sale = await createSale(
    city,
    'instant',
    buyers.length,
    { opensInMs: 2000, openForMs: 600_000 },
    codeSuffix,
  );
  await untilRoom(db, sale.id);
  await setRushRules(db, sale.id, 0);
  await new Promise((r) => setTimeout(r, Math.max(0, sale.opensAt + 500 - Date.now())));
  const joined = await joinRooms(
    db,
    buyers.map((p) => ({
      campaign_id: sale.id,
      identity_id: p.id,
      ticket: randomUUID(),
      contact_channel: null,
      contact_enc: null,
      lang: 'ko',
    })),
  );
  if (joined.some((j) => j === undefined)) throw new Error(`the ceiling's sale ${sale.id} refused a join`);
  const tokens = await admitted(db, sale.id, buyers.length);
  const { discount_bp } = await db('campaigns').where({ id: sale.id }).first('discount_bp');
  const now = new Date();
  const fingerprint = purchaseFingerprint(sale.id, UNIT);
  const amount = priceOf({ face_value: UNIT, discount_bp });
  const holdUntil = new Date(now.getTime() + RUSH_HOLD_SECONDS * 1000);
  const buy = (identityId: string): HomeRowBuy => {
    const id = randomUUID();
    const orderId = randomUUID();
    return {
      campaign_id: sale.id,
      identity_id: identityId,
      jti: tokens.get(identityId)!,
      now,
      home: homeShard(identityId, STOCK_ROWS),
      purchase_id: id,
      public_id: `P-${id.replace(/-/g, '').slice(0, 16).toUpperCase()}`,
      quantity: UNIT,
      idempotency_key: `ceiling-${id}`,
      fingerprint,
      hold_expires_at: holdUntil,
      order_id: orderId,
      payment_id: `fa-${id}`,
      request_hash: createHash('sha256').update(fingerprint).digest('hex'),
      amount,
      provider: 'dev',
      next_check_at: new Date(now.getTime() + 600_000),
      // the answer a replay gives, as large as the service's (purchase.ts), so the rows weigh what theirs do
      response: {
        id: orderId,
        state: 'pending',
        face_value: UNIT,
        amount,
        currency: 'KRW',
        expires_at: holdUntil.toISOString(),
        checkout_url: `${city.url}/dev/checkout/fa-${id}`,
      },
    };
  };
  const items = buyers.map((p) => buy(p.id));
  const buys = batchedBuys(db, BUY_LANES);
  const started = performance.now();
  const answers = await Promise.all(items.map((b) => buys(b)));
  const seconds = (performance.now() - started) / 1000;
  const refused = answers.filter((a) => a !== undefined).length;
  if (refused > 0) throw new Error(`the ceiling's sale refused ${refused} of ${items.length} purchases`);
  return seconds;
}

/** Each buyer's admission (token id), once the service's pass has admitted all of them. */
async function admitted(db: City['bench']['db'], saleId: string, n: number): Promise<Map<string, string>> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const rows: Array<{ identity_id: string; token_jti: string }> = await db('instant_queue')
      .where({ campaign_id: saleId })
      .whereNotNull('token_jti')
      .select('identity_id', 'token_jti');
    if (rows.length >= n) return new Map(rows.map((r) => [r.identity_id, r.token_jti]));
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the service's pass did not admit the ceiling's ${n} buyers within 30 s`);
}
