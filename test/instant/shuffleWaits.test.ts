// The looks held at the door, answered by the pass that shuffled in this process: in the queue's order, each once.
import test from 'ava';
import { shuffleWaits } from '../../src/commands/instant/shuffleWaits.js';
import type { Db } from '../../src/db/knex.js';

// The pass answers before the watcher's first read (100 ms): no database is reached.
const noDatabase = {} as Db;

test("held looks are answered in the queue's order, each with its own place", async (t) => {
  const waits = shuffleWaits();
  const n = 600;
  const ids = Array.from({ length: n }, (_, i) => `person-${i}`);
  const order: string[] = [];
  const answers = ids.map((id) =>
    waits.until(noDatabase, 'sale-1', id, 10_000).then((place) => {
      order.push(id);
      return place;
    }),
  );
  // ranks the other way round from the order the looks came in; one person the pass did not rank
  const places = new Map(ids.slice(1).map((id, i) => [id, { rank: n - 1 - i, ticket: `ticket-${i}` }]));
  waits.opened('sale-1', places);
  const got = await Promise.all(answers);
  t.deepEqual(order, [...ids.slice(1).reverse(), ids[0]], 'rank 1 first, the unranked one last');
  t.deepEqual(got[1], places.get(ids[1]!));
  t.is(got[0], undefined, 'not ranked by the pass: reads its own place');
});

test('a look whose wait ran out is answered once, by its wait', async (t) => {
  const waits = shuffleWaits();
  const early = await waits.until(noDatabase, 'sale-2', 'person-a', 1);
  t.is(early, undefined);
  const held = waits.until(noDatabase, 'sale-2', 'person-b', 10_000);
  waits.opened('sale-2', new Map([['person-b', { rank: 1, ticket: 't' }]]));
  t.deepEqual(await held, { rank: 1, ticket: 't' });
  waits.opened('sale-2', new Map([['person-b', { rank: 2, ticket: 'u' }]])); // nobody left waiting: nothing
});

test('a wait that begins just after this process shuffled is answered at once from what the pass ranked', async (t) => {
  const waits = shuffleWaits();
  const ranked = { rank: 3, ticket: 'late-join', turn: { jti: 'j', expires: new Date(0) } };
  waits.opened('sale-3', new Map([['person-c', ranked]]));
  // a join whose statement read the room before the commit: no read of the room (noDatabase), no 100 ms check
  const started = performance.now();
  t.deepEqual(await waits.until(noDatabase, 'sale-3', 'person-c', 10_000), ranked);
  t.is(
    await waits.until(noDatabase, 'sale-3', 'person-d', 10_000),
    undefined,
    'not ranked by it: reads its own',
  );
  t.true(performance.now() - started < 50);
});

test("after the opening, an arrival's wait is answered by the pass that ranks it; one it did not rank waits on for the next", async (t) => {
  const waits = shuffleWaits({ handsArrivals: true });
  const first = waits.untilRanked('sale-4', 'person-e', 10_000);
  const second = waits.untilRanked('sale-4', 'person-f', 10_000);
  let secondAnswered = false;
  void second.then(() => {
    secondAnswered = true;
  });
  const turn = { rank: 7, ticket: 'e', turn: { jti: 'j', expires: new Date(0) } };
  waits.ranked('sale-4', new Map([['person-e', turn]]));
  t.deepEqual(await first, turn);
  await new Promise((r) => setTimeout(r, 20));
  t.false(secondAnswered, 'not ranked by that pass: still waiting');
  waits.ranked('sale-4', new Map([['person-f', { rank: 8, ticket: 'f' }]]));
  t.deepEqual(await second, { rank: 8, ticket: 'f' });
});

test('an arrival that begins to wait just after the pass ranked it is answered at once from that pass', async (t) => {
  const waits = shuffleWaits({ handsArrivals: true });
  waits.ranked('sale-5', new Map([['person-g', { rank: 2, ticket: 'g' }]]));
  waits.ranked('sale-5', new Map([['person-h', { rank: 3, ticket: 'h' }]]));
  const started = performance.now();
  t.deepEqual(
    await waits.untilRanked('sale-5', 'person-g', 10_000),
    { rank: 2, ticket: 'g' },
    'the pass before the last',
  );
  t.deepEqual(await waits.untilRanked('sale-5', 'person-h', 10_000), { rank: 3, ticket: 'h' });
  t.true(performance.now() - started < 50);
  t.is(await waits.untilRanked('sale-5', 'person-i', 5), undefined, 'ranked by neither: its wait ends');
});

test('a process that runs no pass holds no arrival: answered at once, to read its place', async (t) => {
  const waits = shuffleWaits({ handsArrivals: false });
  const started = performance.now();
  t.is(await waits.untilRanked('sale-6', 'person-j', 10_000), undefined);
  t.true(performance.now() - started < 50);
});

test("one memory of this process's passes: the opening's places answer an arrival's wait, a later pass's a look at the door", async (t) => {
  const waits = shuffleWaits({ handsArrivals: true });
  const atOpening = { rank: 1, ticket: 'k', turn: { jti: 'j', expires: new Date(0) } };
  waits.opened('sale-7', new Map([['person-k', atOpening]]));
  waits.ranked('sale-7', new Map()); // a pass that ranked nobody forgets nothing
  waits.ranked('sale-7', new Map([['person-l', { rank: 9, ticket: 'l' }]]));
  const started = performance.now();
  // an arrival the opening's pass ranked (its join committed before that pass read the queue)
  t.deepEqual(await waits.untilRanked('sale-7', 'person-k', 10_000), atOpening);
  // a join that read the room unshuffled, ranked by the pass after the opening's
  t.deepEqual(await waits.until(noDatabase, 'sale-7', 'person-l', 10_000), { rank: 9, ticket: 'l' });
  t.true(performance.now() - started < 50, 'no wait for a pass that already came');
});
