// When the waiting room tells a client to look again (pure: domain/instant/waitingRoom.ts).
import test from 'ava';
import {
  OPENING_SETTLE_MS,
  POLL_SPREAD_MS,
  pollAfterMs,
  SOLD_OUT_POLL_MS,
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

test('a waiting place looks again at its estimated turn: at least the next pass, at most 30 s', (t) => {
  // 4,999 ahead at 500 a second: the turn is 10 s away
  t.is(pollAfterMs({ state: 'waiting', ahead: 4999, perSecond: 500 }, 0), 10_000);
  t.is(pollAfterMs({ state: 'waiting', ahead: 4999, perSecond: 500 }, 0.5), 10_500);
  t.is(pollAfterMs({ state: 'waiting', ahead: 3, perSecond: 5000 }, 0), 1000, 'not before the next pass');
  t.is(pollAfterMs({ state: 'waiting', ahead: 1_000_000, perSecond: 10 }, 0.9), 30_000);
});

test('being placed looks at the next pass; sold out looks again later, as stock can come back', (t) => {
  t.is(pollAfterMs({ state: 'placing' }, 0.7), 1000);
  t.is(pollAfterMs({ state: 'sold_out' }, 0), SOLD_OUT_POLL_MS);
  t.true(pollAfterMs({ state: 'sold_out' }, 0.5) > SOLD_OUT_POLL_MS);
});
