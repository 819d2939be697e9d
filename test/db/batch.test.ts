// The group commit's fallback: a batch that fails as a whole is run again call by call, unless it failed for want
// of a connection (an overload), where a hundred calls alone would each wait for one again.
import test from 'ava';
import knex from 'knex';
import { batched } from '../../src/db/batch.js';

const together = async (call: (n: number) => Promise<number>, n: number) =>
  Promise.allSettled(Array.from({ length: n }, (_, i) => call(i)));

test('a batch refused by a constraint is run again alone, each call getting its own answer', async (t) => {
  let alone = 0;
  const call = batched<number, number>({
    one: async (n) => {
      alone++;
      if (n === 3) throw new Error('duplicate key');
      return n * 10;
    },
    many: async () => {
      throw new Error('duplicate key');
    },
    lanes: 1,
    maxBatch: 100,
  });
  const out = await together(call, 5);
  t.is(alone, 5);
  t.deepEqual(
    out.map((o) => o.status),
    ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
  );
});

test('a batch that got no connection in time fails every call at once, none run alone', async (t) => {
  let alone = 0;
  const call = batched<number, number>({
    one: async (n) => {
      alone++;
      return n;
    },
    many: async () => {
      throw new knex.KnexTimeoutError('Knex: Timeout acquiring a connection');
    },
    lanes: 1,
    maxBatch: 100,
  });
  const out = await together(call, 5);
  t.is(alone, 0);
  t.true(out.every((o) => o.status === 'rejected' && o.reason instanceof knex.KnexTimeoutError));
});
