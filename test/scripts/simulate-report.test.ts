// The simulator's sell-out figures: the rate the target is about, from first order to sell-out.
import test from 'ava';
import { againstTarget, ofCeiling, sellOutFigures, sellOutRows } from '../../scripts/simulate/report.js';

test('the sell-out rate is stock over the time from the first order to the stock-th, not from opening', (t) => {
  // opening at 10,000 ms; 4 units: first order 2 s after opening, the 4th 0.5 s later, a fifth (stock given back) later
  const f = sellOutFigures([12_000, 12_100, 12_300, 12_500, 40_000], 4, 10_000);
  t.is(f.opening_to_first_success_ms, 2000);
  t.is(f.time_to_sell_out_ms, 2500);
  t.is(f.sell_out_orders_per_s, 8, '4 orders in 0.5 s');
});

test('a sale that did not sell out has no sell-out rate, and says so against the target', (t) => {
  const f = sellOutFigures([12_000, 12_100], 4, 10_000);
  t.is(f.time_to_sell_out_ms, null);
  t.is(f.sell_out_orders_per_s, null);
  t.regex(againstTarget(null), /not sold out/);
  t.is(sellOutFigures([], 4, 0).opening_to_first_success_ms, null);
});

test('the distance to the 2,000/s target is said in words', (t) => {
  t.is(againstTarget(205), '205 orders/s: 10.3 % of the 2,000/s target (9.8x short)');
  t.is(againstTarget(2500), '2,500 orders/s: meets the 2,000/s target');
});

test('a lottery has no rush to time: its report does not call it "not sold out"', (t) => {
  const lottery = sellOutRows({
    mode: 'lottery',
    time_to_sell_out_ms: null,
    sell_out_orders_per_s: null,
    overbook_percent: null,
    purchase_ceiling_orders_per_s: null,
    as_residents_saw: null,
  });
  t.deepEqual(
    lottery.map(([name]) => name),
    ['sell-out'],
  );
  t.notRegex(lottery[0]![1], /not sold out/);
  const rush = sellOutRows({
    mode: 'instant',
    time_to_sell_out_ms: null,
    sell_out_orders_per_s: null,
    overbook_percent: 0,
    purchase_ceiling_orders_per_s: null,
    as_residents_saw: sellOutFigures([], 4, 0),
  });
  t.regex(rush.map(([, v]) => v).join(' '), /not sold out/);
  t.regex(rush.map(([, v]) => v).join(' '), /^what the stock left can serve /);
  const overbooked = sellOutRows({
    mode: 'instant',
    time_to_sell_out_ms: 2000,
    sell_out_orders_per_s: 2000,
    overbook_percent: 100,
    purchase_ceiling_orders_per_s: 8000,
    as_residents_saw: sellOutFigures([12_000, 12_002], 2, 10_000),
  });
  t.deepEqual(overbooked.at(-2), [
    'the same as the residents had the answers',
    'sold out 2.00 s after opening, 1,000 orders/s (their added latency on the way back included)',
  ]);
  t.is(overbooked[0]![1], 'what the stock left can serve + 100 %');
  t.is(
    overbooked.at(-1)![1],
    '8,000 orders/s (instant_buy_many straight from a client, no HTTP); the sell-out reached 25.0 % of it',
  );
});

test('a ceiling not measured says so, and one without a sell-out gives no share', (t) => {
  t.is(ofCeiling(1000, null), 'not measured');
  t.is(ofCeiling(null, 4000), '4,000 orders/s (instant_buy_many straight from a client, no HTTP)');
});
