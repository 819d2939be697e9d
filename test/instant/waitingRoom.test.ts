// When the waiting room tells a client to look again, and how far its admission cursor moves (pure:
// domain/instant/waitingRoom.ts).
import test from 'ava';
import fc from 'fast-check';
import {
  type AdmissionRules,
  type AdmissionState,
  advanceCursor,
  counterHasRoom,
  HELD_BACK_POLL_MS,
  heldBackByStock,
  OPENING_SETTLE_MS,
  POLL_SPREAD_MS,
  pollAfterMs,
  stockState,
  turnsEnded,
} from '../../src/domain/instant/waitingRoom.js';

test('the pre-queue looks again just after opening, spread over a second; after opening, at once plus the settle', (t) => {
  t.is(pollAfterMs({ state: 'pre_queue', msToOpening: 12_000 }, 0), 12_000 + OPENING_SETTLE_MS);
  t.is(
    pollAfterMs({ state: 'pre_queue', msToOpening: 12_000 }, 0.999),
    12_000 + OPENING_SETTLE_MS + POLL_SPREAD_MS - 1,
  );
  t.is(
    pollAfterMs({ state: 'pre_queue', msToOpening: -300 }, 0),
    OPENING_SETTLE_MS,
    'opened, not shuffled yet',
  );
});

test('a pre-queue look the service will hold comes back once the opening is within the hold, to be held there', (t) => {
  const hold = 25_000;
  // 40 s off: back when 25.5 s are left (the opening, its settle, less the hold), spread over a second
  t.is(
    pollAfterMs({ state: 'pre_queue', msToOpening: 40_000, waitMs: hold }, 0),
    40_000 + OPENING_SETTLE_MS - hold,
  );
  t.is(
    pollAfterMs({ state: 'pre_queue', msToOpening: 40_000, waitMs: hold }, 0.5),
    40_000 + OPENING_SETTLE_MS - hold + POLL_SPREAD_MS / 2,
    'not yet within it: spread',
  );
  // within the hold: at once and unspread, even a second before the opening (a spread sent it past the opening)
  for (const msToOpening of [10_000, 1_000, -2_000])
    t.is(pollAfterMs({ state: 'pre_queue', msToOpening, waitMs: hold }, 0.999), 0, `${msToOpening} ms off`);
  t.is(
    pollAfterMs({ state: 'pre_queue', msToOpening: 1_000, waitMs: 0 }, 0.5),
    1_000 + OPENING_SETTLE_MS + POLL_SPREAD_MS / 2,
    'a look that will not be held is spread',
  );
  t.is(pollAfterMs({ state: 'pre_queue', msToOpening: 600_000, waitMs: hold }, 0), 30_000, 'never past 30 s');
});

test('a waiting place looks again at its estimated turn: at least the next pass, at most 30 s', (t) => {
  // 4,999 ahead at 500 a second: the turn is 10 s away
  t.is(pollAfterMs({ state: 'waiting', ahead: 4999, perSecond: 500 }, 0), 10_000);
  t.is(pollAfterMs({ state: 'waiting', ahead: 4999, perSecond: 500 }, 0.5), 10_500);
  t.is(pollAfterMs({ state: 'waiting', ahead: 3, perSecond: 5000 }, 0), 1000, 'not before the next pass');
  t.is(pollAfterMs({ state: 'waiting', ahead: 1_000_000, perSecond: 10 }, 0.9), 30_000);
});

test('being placed looks at the next pass', (t) => {
  t.is(pollAfterMs({ state: 'placing' }, 0.7), 1000);
});

test('a place held back by stock looks again a few seconds later, not every pass', (t) => {
  const held = { state: 'waiting', ahead: 3, perSecond: 5000, heldBack: true } as const;
  t.is(pollAfterMs(held, 0), HELD_BACK_POLL_MS);
  t.true(pollAfterMs(held, 0.5) > HELD_BACK_POLL_MS);
  t.is(pollAfterMs({ ...held, heldBack: false }, 0), 1000);
  t.is(pollAfterMs({ state: 'placing', heldBack: true }, 0), HELD_BACK_POLL_MS, 'nor does a new arrival');
});

test('sold out only for good: nothing left and nothing held; all of it in holds is held', (t) => {
  t.is(stockState(0, false), 'sold_out');
  t.is(stockState(0, true), 'held');
  t.is(stockState(1, true), 'available');
  t.is(stockState(1, false), 'available');
});

const admission = fc.record({
  admittedThrough: fc.nat(10_000),
  waiting: fc.nat(10_000),
  active: fc.nat(6000),
  unitsLeft: fc.nat(6000),
});
const rules = fc.record({
  perSecond: fc.integer({ min: 1, max: 5000 }),
  maxActive: fc.integer({ min: 1, max: 5000 }),
  overbookPercent: fc.integer({ min: 0, max: 1000 }),
});

test('the cursor never passes the queue, the rate, the cap on buyers or what the stock left can serve', (t) => {
  fc.assert(
    fc.property(admission, rules, fc.nat(5000), (a, r: AdmissionRules, elapsedMs) => {
      const s: AdmissionState = { ...a, queued: a.admittedThrough + a.waiting };
      const through = advanceCursor(s, r, elapsedMs);
      const step = through - s.admittedThrough;
      t.true(step >= 0 && through <= s.queued);
      t.true(step <= Math.floor((r.perSecond * elapsedMs) / 1000));
      // after the step, the buyers at the counter are within both bounds, or none was let in
      const servable = Math.floor((s.unitsLeft * (100 + r.overbookPercent!)) / 100);
      t.true(step === 0 || s.active + step <= Math.min(r.maxActive, servable));
      // and it moves as far as all four allow: nobody is kept waiting for nothing
      const room = Math.max(0, Math.min(r.maxActive, servable) - s.active);
      t.is(step, Math.min(Math.floor((r.perSecond * elapsedMs) / 1000), room, a.waiting));
      // held back by stock exactly when people wait, the stock is the tighter bound and leaves no room
      const after = { ...s, admittedThrough: through, active: s.active + step };
      t.is(
        heldBackByStock(after, r),
        after.queued > through && servable < r.maxActive && after.active >= servable,
      );
    }),
  );
});

test('at an opening, 4,000 units for a pre-queue of 10,000 admit 4,000, held back by stock', (t) => {
  const s = { admittedThrough: 0, queued: 10_000, active: 0, unitsLeft: 4000 };
  const r = { perSecond: 5000, maxActive: 5000 };
  t.is(advanceCursor(s, r, 1000), 4000);
  t.true(heldBackByStock({ ...s, admittedThrough: 4000, active: 4000 }, r));
  // a rate-bound room is not held back by stock: 500 more come next second
  const slow = { perSecond: 500, maxActive: 5000 };
  t.is(advanceCursor(s, slow, 1000), 500);
  t.false(heldBackByStock({ ...s, admittedThrough: 500, active: 500 }, slow));
  // overbooked by half: 6,000 let in for 4,000 units
  t.is(advanceCursor(s, { ...r, overbookPercent: 50 }, 1000), 5000, 'the cap of 5,000 comes first');
  t.is(advanceCursor(s, { perSecond: 9000, maxActive: 9000, overbookPercent: 50 }, 1000), 6000);
});

test('turns end when nothing is left and nothing held can come back, or when the sale closes', (t) => {
  t.is(turnsEnded(1, false, false), undefined);
  t.is(turnsEnded(0, true, false), undefined, 'a hold that runs out gives a turn back');
  t.is(turnsEnded(0, false, false), 'sale_sold_out');
  t.is(turnsEnded(0, false, true), 'sale_sold_out', 'sold out says more than closed');
  t.is(turnsEnded(3, false, true), 'sale_closed');
  t.is(turnsEnded(0, true, true), 'sale_closed');
});

test('a turn given again must fit the counter: under the cap and within what the stock (overbooked) serves', (t) => {
  const rules = { perSecond: 10, maxActive: 2 };
  t.true(counterHasRoom({ active: 1, unitsLeft: 5 }, rules));
  t.false(counterHasRoom({ active: 2, unitsLeft: 5 }, rules), 'the cap');
  t.false(counterHasRoom({ active: 1, unitsLeft: 1 }, rules), 'the stock');
  t.true(counterHasRoom({ active: 1, unitsLeft: 1 }, { ...rules, overbookPercent: 100 }), 'overbooked');
  t.false(counterHasRoom({ active: 0, unitsLeft: 0 }, rules), 'nothing left');
});
