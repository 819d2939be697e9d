// The batcher behind the worker's claim and 'sent' statements: concurrent calls share a statement, and a
// failing batch is retried item by item so that one bad row fails only its own caller.
import test from 'ava';
import { createBatcher } from '../../src/notify/batch.js';

test('calls made together run as one batch, each caller getting its own answer', async (t) => {
  const batches: number[][] = [];
  const b = createBatcher(
    async (xs: number[]) => {
      batches.push(xs);
      return xs.map((x) => x * 2);
    },
    { maxBatch: 3, maxInFlight: 1 },
  );
  const out = await Promise.all([1, 2, 3, 4, 5].map((x) => b.run(x)));
  t.deepEqual(out, [2, 4, 6, 8, 10]);
  t.deepEqual(batches, [
    [1, 2, 3],
    [4, 5],
  ]);
});

test('a failing batch is run again one by one: only the bad item fails', async (t) => {
  const b = createBatcher(
    async (xs: number[]) => {
      if (xs.includes(3)) throw new Error('bad row 3');
      return xs;
    },
    { maxBatch: 10, maxInFlight: 2 },
  );
  const out = await Promise.allSettled([1, 2, 3, 4].map((x) => b.run(x)));
  t.deepEqual(
    out.map((o) => o.status),
    ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
  );
});
