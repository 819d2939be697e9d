// The same purchase sent twice at once (a double tap, a client's retry) when no single stock row can serve it: the
// two meet in the several-rows transaction, and the one that finds the token spent answers what the first did.
import test from 'ava';
import { purchase, type TransactionSlot } from '../../src/commands/instant/purchase.js';
import { instantWorld, turnToBuy } from '../helpers/instant.js';

const UNIT = 10_000;

test('two identical purchases at once over several rows: one is made, the other replays it', async (t) => {
  const w = await instantWorld();
  t.teardown(() => w.app.close());
  const { app, ctx } = w;
  // three units spread one a row over the stock rows: two units take two rows
  const { campaignId, identityId, input } = await turnToBuy(w, 3, 'same-key-at-once', 2 * UNIT);
  // Both are refused by their home row first; only then do both go on, together, to the several-rows transaction.
  let arrived = 0;
  let bothThere!: () => void;
  const together = new Promise<void>((r) => {
    bothThere = r;
  });
  const slot: TransactionSlot = async (run) => {
    if (++arrived === 2) bothThere();
    await together;
    return run();
  };
  const answers = await Promise.all([
    purchase(ctx, identityId, input, slot),
    purchase(ctx, identityId, input, slot),
  ]);
  t.is(arrived, 2, 'both went to the several-rows transaction');
  t.deepEqual(answers.map((a) => a.status).sort(), [200, 201]);
  t.deepEqual(answers.map((a) => a.replayed).sort(), [false, true]);
  t.is(answers[0]!.purchase.id, answers[1]!.purchase.id, 'the same purchase');
  t.is((await app.db('instant_purchases').where({ campaign_id: campaignId })).length, 1);
  const left = await app.db('instant_stock').where({ campaign_id: campaignId }).sum('remaining as r').first();
  t.is(Number(left!.r), UNIT, 'two units taken, once');
});
