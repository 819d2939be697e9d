// The opening's timeline from a run's samples: each buyer's steps since opening, and the opening in buckets.
import test from 'ava';
import type { SamplesFile } from '../../scripts/simulate/diagnostics.js';
import { bucketsOf, buyersOf, heldLooksOf } from '../../scripts/simulate/timeline.js';

const OPENS = 10_000; // ms since the run started
/** A request answered `answered` ms after opening, having taken `ms`. */
const s = (who: number, what: string, answered: number, ms: number, status = 200) => ({
  who,
  what,
  at: OPENS + answered,
  ms,
  status,
});

const RUN: SamplesFile = {
  opens_at: OPENS,
  speeds: ['fast', 'slow', 'medium'],
  samples: [
    s(0, 'join', -990, 10),
    s(1, 'join', -480, 20),
    s(0, 'poll', 300, 1200), // held from -900 until the shuffle
    s(2, 'join', 120, 20),
    s(0, 'buy', 320, 20, 201),
    s(1, 'poll', 600, 1000), // held from -400
    s(2, 'poll', 650, 30), // sent after the opening: not held
    s(2, 'buy', 700, 100, 409), // refused: not a buyer
    s(1, 'buy', 1100, 50, 201),
    s(1, 'buy', 1200, 10, 200), // a replay: the first acceptance counts
  ],
};

test('each buyer: their join, last look and first accepted buy since opening, in the order they learnt it', (t) => {
  const buyers = buyersOf(RUN);
  t.deepEqual(
    buyers.map((b) => b.who),
    [0, 1],
  );
  t.deepEqual(buyers[1], {
    who: 1,
    speed: 'slow',
    joined: -500,
    look_sent: -400,
    look_answered: 600,
    buy_sent: 1050,
    buy_answered: 1100,
    accepted: 1100 + 450, // the answer's way back to a slow phone
  });
  t.is(buyers[0]!.accepted, 320, 'a fast phone learns it as it is answered');
});

test('the opening in buckets: answers by kind, held looks, buys sent and their wait, acceptances', (t) => {
  const b = bucketsOf(RUN, -500, 1750, 250);
  t.is(b.length, 9);
  const at = (from: number) => b.find((x) => x.from_ms === from)!;
  t.deepEqual(at(-500).answered, { join: 1 });
  t.is(at(250).held_looks_answered, 1);
  t.is(at(500).held_looks_answered, 1, 'of two looks answered then, one was sent before the opening');
  t.is(at(500).answered.poll, 2);
  t.is(at(0).held_looks_answered, 0);
  t.is(at(250).buys_sent, 1);
  t.is(at(250).buy_p50_ms, 20);
  t.is(at(500).buys_sent, 1, 'a refused buy was still sent');
  t.is(at(1000).buys_sent, 2);
  t.is(at(1000).buy_p50_ms, 10, 'the lower middle of two');
  t.deepEqual(at(1000).answered, { buy: 2 });
  t.is(at(250).accepted, 1);
  t.is(at(1500).accepted, 1);
  t.is(
    b.reduce((n, x) => n + x.accepted, 0),
    2,
  );
  t.is(at(750).buy_p50_ms, null, 'no buy sent then');
});

test('the looks held for the shuffle: sent before the opening, answered after it', (t) => {
  t.deepEqual(heldLooksOf(RUN), { count: 2, first: 300, last: 600 });
  t.is(heldLooksOf({ ...RUN, samples: RUN.samples.filter((x) => x.who === 2) }), null, 'none held');
});
