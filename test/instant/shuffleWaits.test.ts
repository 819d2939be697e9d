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
