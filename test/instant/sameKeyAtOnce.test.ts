// The same purchase sent twice at once (a double tap, a client's retry) when no single stock row can serve it: one
// is made and the other answers what it did, whether the two meet in the several-rows transaction or in one batch.
import test from 'ava';
import { purchase, type TransactionSlot } from '../../src/commands/instant/purchase.js';
import {
  buyAlone,
  buyFromHomeRows,
  type HomeRowBuy,
  type HomeRowRefusal,
} from '../../src/db/repos/instantBuy.js';
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

test('two identical purchases in one batch over several rows: one is made, the other replays it', async (t) => {
  const w = await instantWorld();
  t.teardown(() => w.app.close());
  const { app, ctx } = w;
  const { campaignId, identityId, input } = await turnToBuy(w, 3, 'same-key-one-batch', 2 * UNIT);
  // The process's batching, made certain: the first two buys go as one batch, any later one alone.
  const waiting: Array<{ b: HomeRowBuy; answer: (r: HomeRowRefusal | undefined) => void }> = [];
  let firstBatch: Array<HomeRowRefusal | undefined> | undefined;
  const buys = (b: HomeRowBuy) =>
    waiting.length === 2
      ? buyAlone(app.db, b)
      : new Promise<HomeRowRefusal | undefined>((answer, fail) => {
          waiting.push({ b, answer });
          if (waiting.length < 2) return;
          buyFromHomeRows(
            app.db,
            waiting.map((x) => x.b),
          ).then((answers) => {
            firstBatch = answers;
            for (const [i, x] of waiting.entries()) x.answer(answers[i]);
          }, fail);
        });
  const batching = { ...ctx, buys };
  const answers = await Promise.all([
    purchase(batching, identityId, input),
    purchase(batching, identityId, input),
  ]);
  // the first spent the token in the batch, found no single row and gave it back; the second was refused it
  t.deepEqual(firstBatch, ['home_row_dry', 'admission_used']);
  t.deepEqual(answers.map((a) => a.status).sort(), [200, 201]);
  t.is(answers[0]!.purchase.id, answers[1]!.purchase.id, 'the same purchase');
  t.is((await app.db('instant_purchases').where({ campaign_id: campaignId })).length, 1);
  const left = await app.db('instant_stock').where({ campaign_id: campaignId }).sum('remaining as r').first();
  t.is(Number(left!.r), UNIT, 'two units taken, once');
});
