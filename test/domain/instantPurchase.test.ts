// An instant sale's rules, pure: what a resident may ask for, how the stock is laid over its rows, and how a
// purchase takes from them (all or nothing).
import test from 'ava';
import fc from 'fast-check';
import { planTakes, splitStock, validatePurchase } from '../../src/domain/instant/purchase.js';

test('a request is a whole, positive multiple of the denomination within the per-person limit', (t) => {
  const rules = { denomination: 2, per_person_max: 6 };
  for (const q of [0, -2, 1.5, Number.NaN, 2 ** 60])
    t.deepEqual(validatePurchase(rules, q), { quantity: 'Ask for at least one unit' }, String(q));
  t.deepEqual(validatePurchase(rules, 3), { quantity: 'Ask in multiples of 2' });
  t.deepEqual(validatePurchase(rules, 8), { quantity: 'At most 6 per person' });
  t.deepEqual(validatePurchase(rules, 6), {});
  t.deepEqual(validatePurchase(rules, 2), {});
});

test('the stock is laid over the rows in whole denominations, evenly, nothing lost but a part-denomination', (t) => {
  fc.assert(
    fc.property(
      fc.nat(10_000),
      fc.integer({ min: 1, max: 50 }),
      fc.integer({ min: 1, max: 16 }),
      (total, d, shards) => {
        const rows = splitStock(total, d, shards);
        const units = Math.floor(total / d);
        return (
          rows.length >= 1 &&
          rows.length <= shards &&
          rows.every((r) => r % d === 0 && r >= 0) &&
          rows.reduce((a, b) => a + b, 0) === units * d &&
          Math.max(...rows) - Math.min(...rows) <= d &&
          rows.every((r, i) => i === 0 || r <= rows[i - 1]!)
        );
      },
    ),
  );
  t.deepEqual(splitStock(0, 5, 4), [0], 'no stock: one empty row');
  t.deepEqual(splitStock(3, 5, 4), [0], 'less than one denomination: one empty row');
  t.deepEqual(splitStock(7, 1, 3), [3, 2, 2]);
});

test('a purchase takes from the rows in order, all or nothing', (t) => {
  const rows = [
    { shard: 2, remaining: 3 },
    { shard: 0, remaining: 0 },
    { shard: 1, remaining: 2 },
  ];
  t.deepEqual(planTakes(rows, 4), [
    { shard: 2, quantity: 3 },
    { shard: 1, quantity: 1 },
  ]);
  t.deepEqual(planTakes(rows, 2), [{ shard: 2, quantity: 2 }]);
  t.is(planTakes(rows, 6), undefined, 'more than all the rows hold');
});
