// Buyers and joins that arrive together go as one statement and one commit (instant_buy_many, instant_join_many):
// each still gets its own answer, and a refused buyer has nothing of theirs written. Reads of the stock left that
// arrive together are one statement too, each answered as alone.
import { randomUUID } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { buyFromHomeRows, type HomeRowBuy } from '../../src/db/repos/instantBuy.js';
import { joinRooms } from '../../src/db/repos/instantJoins.js';
import { stockTotals, stockTotalsOfMany } from '../../src/db/repos/instantStock.js';
import { buyers, instantWorld, openSale, scheduledSale } from '../helpers/instant.js';

const UNIT = 10_000;

/** A sale of `units`, opened, with `n` people joined and each holding a live admission token; `buy` makes an item. */
async function admittedBuyers(t: ExecutionContext, n: number, units: number) {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units, perPersonUnits: 1 });
  const people = await buyers(app, n);
  await openSale(app, c.id);
  await tick(); // the room, and its shuffle of an empty pre-queue
  const joined = await joinRooms(
    app.db,
    people.map((p) => ({
      campaign_id: c.id,
      identity_id: p.identity_id,
      ticket: randomUUID(),
      contact_channel: null,
      contact_enc: null,
      lang: 'ko',
    })),
  );
  t.true(
    joined.every((j) => j?.place.pre === false),
    'one place each, as arrivals',
  );
  await tick();
  app.clock.advance(2000);
  await tick();
  // The pass admits only as many as the units can serve; the rest get tokens as buyers of several units each
  // would leave them (a token out when the stock runs dry), for the dry row.
  t.is(
    (await app.db('instant_rooms').where({ campaign_id: c.id }).first()).admitted_through,
    Math.min(n, units),
  );
  await app
    .db('instant_queue')
    .where({ campaign_id: c.id })
    .whereNull('token_jti')
    .update({
      token_jti: app.db.raw("'late-' || ticket"),
      token_expires_at: new Date(app.clock.now().getTime() + 60_000),
    });
  const places = await app.db('instant_queue').where({ campaign_id: c.id });
  const jti = (id: string) => places.find((p) => p.identity_id === id)!.token_jti as string;
  const now = app.clock.now();
  const buy = (i: number, o: Partial<HomeRowBuy> = {}): HomeRowBuy => {
    const id = randomUUID();
    return {
      campaign_id: c.id,
      identity_id: people[i]!.identity_id,
      jti: jti(people[i]!.identity_id),
      now,
      home: 0,
      purchase_id: id,
      public_id: `P-${id.slice(0, 8)}`,
      quantity: UNIT,
      idempotency_key: `k-${i}`,
      fingerprint: `${c.id}:${UNIT}`,
      hold_expires_at: new Date(now.getTime() + 600_000),
      order_id: randomUUID(),
      payment_id: `fa-${id}`,
      request_hash: 'h',
      amount: 9000,
      provider: 'dev',
      next_check_at: now,
      response: {},
      ...o,
    };
  };
  return { app, c, people, buy };
}

test('one batch of buyers: bought, a spent or foreign token, the same buyer twice, a second purchase, a dry sale', async (t) => {
  const { app, c, people, buy } = await admittedBuyers(t, 5, 3);
  const again = await joinRooms(app.db, [
    {
      campaign_id: c.id,
      identity_id: people[0]!.identity_id,
      ticket: 'x',
      contact_channel: null,
      contact_enc: null,
      lang: 'ko',
    },
  ]);
  t.deepEqual(again, [undefined], 'a second join takes no second place');
  // Person 0 buys; person 1 brings a token that is not theirs; person 2 buys (and sends the same buy twice).
  const first = await buyFromHomeRows(app.db, [buy(0), buy(1, { jti: 'not-this-one' }), buy(2), buy(2)]);
  t.deepEqual(first, [undefined, 'admission_used', undefined, 'admission_used']);
  // Person 0 again with a fresh token: a live purchase refuses it; 3 takes the last unit; then nothing serves 4.
  await app
    .db('instant_queue')
    .where({ identity_id: people[0]!.identity_id })
    .update({ token_used_at: null });
  const second = await buyFromHomeRows(app.db, [buy(0, { idempotency_key: 'k-0b' }), buy(3), buy(4)]);
  t.deepEqual(second, ['purchase_refused', undefined, 'home_row_dry']);

  const bought = await app.db('instant_purchases').where({ campaign_id: c.id }).pluck('identity_id');
  t.deepEqual(bought.sort(), [0, 2, 3].map((i) => people[i]!.identity_id).sort());
  t.is(Number((await app.db('orders').where({ campaign_id: c.id }).count('* as n').first())!.n), 3);
  const stock = await app.db('instant_stock').where({ campaign_id: c.id }).sum('remaining as r').first();
  t.is(Number(stock!.r), 0, 'three units, three taken, each once');
  // The refused have their turn still: their tokens unspent, nothing of theirs written.
  const after = await app.db('instant_queue').where({ campaign_id: c.id });
  const spent = (i: number) =>
    after.find((p) => p.identity_id === people[i]!.identity_id)!.token_used_at !== null;
  t.deepEqual([0, 1, 2, 3, 4].map(spent), [false, false, true, true, false]);
});

test('home rows serve their buyers in order, the rest take from the next row that can, and the purchase says which', async (t) => {
  const { app, c, people, buy } = await admittedBuyers(t, 5, 4);
  // Four rows of one unit; now shard 0 holds one, shard 2 two, the others none.
  for (const [shard, units] of [
    [0, 1],
    [1, 0],
    [2, 2],
    [3, 0],
  ] as const)
    await app
      .db('instant_stock')
      .where({ campaign_id: c.id, shard })
      .update({ initial: units * UNIT, remaining: units * UNIT });
  // Person 4 first brings a token not theirs, then their own: the second buys, as one at a time would.
  const answers = await buyFromHomeRows(app.db, [
    buy(4, { jti: 'not-this-one', idempotency_key: 'k-4a' }),
    buy(0),
    buy(1),
    buy(2),
    buy(3),
    buy(4),
  ]);
  t.deepEqual(answers, ['admission_used', undefined, undefined, undefined, 'home_row_dry', 'home_row_dry']);
  const taken = await app.db('instant_purchases').where({ campaign_id: c.id }).select('identity_id', 'takes');
  const shardOf = (i: number) => taken.find((p) => p.identity_id === people[i]!.identity_id)?.takes;
  t.deepEqual([0, 1, 2].map(shardOf), [
    [{ shard: 0, quantity: UNIT }],
    [{ shard: 2, quantity: UNIT }],
    [{ shard: 2, quantity: UNIT }],
  ]);
  t.is(taken.length, 3, 'the dry buyers have no purchase');
  t.is(Number((await app.db('orders').where({ campaign_id: c.id }).count('* as n').first())!.n), 3);
  const rows = await app.db('instant_stock').where({ campaign_id: c.id }).orderBy('shard').pluck('remaining');
  t.deepEqual(rows.map(Number), [0, 0, 0, 0]);
  const after = await app.db('instant_queue').where({ campaign_id: c.id });
  const spent = (i: number) =>
    after.find((p) => p.identity_id === people[i]!.identity_id)!.token_used_at !== null;
  t.deepEqual([0, 1, 2, 3, 4].map(spent), [true, true, true, false, false]);
});

test('reads of the stock left together: each sale as read alone, a sale asked twice, a sale that is not there', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const a = await scheduledSale(app, { units: 3 });
  const b = await scheduledSale(app, { units: 5 });
  await openSale(app, a.id);
  await openSale(app, b.id);
  await tick(); // the rooms and their stock rows
  await app.db('instant_stock').where({ campaign_id: b.id, shard: 0 }).update({ remaining: 0 });
  const ids = [a.id, b.id, a.id, randomUUID()];
  const alone = await Promise.all(ids.map((id) => stockTotals(app.db, id)));
  t.deepEqual(await stockTotalsOfMany(app.db, ids), alone);
  t.is(alone[0]!.remaining, 3 * UNIT);
  t.true(alone[1]!.remaining < 5 * UNIT);
  t.deepEqual(alone[3], { initial: 0, remaining: 0, rows: 0 });
});
