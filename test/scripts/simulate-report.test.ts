// The simulator's sell-out figures: the rate the target is about, from opening to sell-out, and the rate once
// orders were taken, which a late first order flatters.
import test from 'ava';
import {
  againstTarget,
  noticesLine,
  ofCeiling,
  ordersTaken,
  sellOutFigures,
  sellOutRows,
} from '../../scripts/simulate/report.js';

test('the sell-out rate is stock over the time from opening to the stock-th order', (t) => {
  // opening at 10,000 ms; 4 units: first order 2 s after opening, the 4th 0.5 s later, a fifth (stock given back) later
  const f = sellOutFigures([12_000, 12_100, 12_300, 12_500, 40_000], 4, 10_000);
  t.is(f.opening_to_first_success_ms, 2000);
  t.is(f.time_to_sell_out_ms, 2500);
  t.is(f.sell_out_orders_per_s, 1.6, '4 orders 2.5 s after opening');
  t.is(f.taking_orders_per_s, 8, '4 orders in the 0.5 s from the first');
});

test('a late first order does not make a slower sale meet the target', (t) => {
  // the same 4,000 in stock: one sale starts taking orders at once and sells out at 4.54 s; the other takes its
  // first at 4.08 s and sells out at 5.46 s (two runs of 2026-12-05)
  const steady = sellOutFigures(spread(1160, 4540, 4000), 4000, 0);
  const late = sellOutFigures(spread(4080, 5460, 4000), 4000, 0);
  t.true(late.sell_out_orders_per_s! < steady.sell_out_orders_per_s!);
  t.regex(againstTarget(late.sell_out_orders_per_s), /short\)$/);
  t.true(late.taking_orders_per_s! > 2000, 'the rate once taking is the flattered one');
  t.is(ordersTaken(late.taking_orders_per_s), '2,899 orders/s');
  t.is(ordersTaken(null), 'not sold out');
});

/** n acceptances evenly from `from` to `to` ms */
const spread = (from: number, to: number, n: number) =>
  Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));

test('a sale that did not sell out has no sell-out rate, and says so against the target', (t) => {
  const f = sellOutFigures([12_000, 12_100], 4, 10_000);
  t.is(f.time_to_sell_out_ms, null);
  t.is(f.sell_out_orders_per_s, null);
  t.is(f.taking_orders_per_s, null);
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
    taking_orders_per_s: null,
    overbook_percent: null,
    purchase_ceiling_orders_per_s: null,
    as_residents_saw: null,
    pre_queue_places: null,
    stock: 4,
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
    taking_orders_per_s: null,
    overbook_percent: 0,
    purchase_ceiling_orders_per_s: null,
    as_residents_saw: sellOutFigures([], 4, 0),
    pre_queue_places: 3,
    stock: 4,
  });
  t.regex(rush.map(([, v]) => v).join(' '), /not sold out/);
  t.regex(rush.map(([, v]) => v).join(' '), /^what the stock left can serve /);
  const overbooked = sellOutRows({
    mode: 'instant',
    time_to_sell_out_ms: 2000,
    sell_out_orders_per_s: 2000,
    taking_orders_per_s: 4000,
    overbook_percent: 100,
    purchase_ceiling_orders_per_s: 8000,
    as_residents_saw: sellOutFigures([10_400, 10_500], 2, 10_000),
    pre_queue_places: 2,
    stock: 2,
  });
  t.deepEqual(overbooked.at(-2), [
    'the same as the residents had the answers',
    'sold out 0.50 s after opening, 4 orders/s (their added latency on the way back included)',
  ]);
  t.deepEqual(overbooked.at(-3), [
    'orders taken once the first was: stock / (sell-out − first order)',
    '4,000 orders/s',
  ]);
  t.is(overbooked[0]![1], 'what the stock left can serve + 100 %');
  t.deepEqual(overbooked[1], [
    'pre-queue at the shuffle',
    '2 places for 2 units: the stock within the pre-queue',
  ]);
  t.deepEqual(rush[1], [
    'pre-queue at the shuffle',
    '3 places for 4 units: 1 unit to later arrivals, each ranked by a pass after its join',
  ]);
  t.is(
    overbooked.at(-1)![1],
    '8,000 orders/s (instant_buy_many straight from a client, no HTTP); the sell-out reached 25.0 % of it',
  );
});

test('a ceiling not measured says so, and one without a sell-out gives no share', (t) => {
  t.is(ofCeiling(1000, null), 'not measured');
  t.is(ofCeiling(null, 4000), '4,000 orders/s (instant_buy_many straight from a client, no HTTP)');
});

test("the notices line says each kind's statuses, and none when nothing was sent", (t) => {
  t.is(
    noticesLine({ queue_turn: { cancelled: 3188, sent: 812 }, vouchers_issued: { queued: 4000 } }),
    'queue_turn: cancelled 3,188, sent 812; vouchers_issued: queued 4,000',
  );
  t.is(
    noticesLine({ a: { sent: 1 }, b: { queued: 2 } }, '\n'),
    'a: sent 1\nb: queued 2',
    "the report's cell, a line a kind",
  );
  t.is(noticesLine({}), 'none');
});
