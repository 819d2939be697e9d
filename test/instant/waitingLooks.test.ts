// A look at a place still waiting is answered from the rank the process already read and one shared read of the
// admission cursor; once the cursor passes the place, the look reads the place again and finds the turn.
import test, { type ExecutionContext } from 'ava';
import { buyers, instantWorld, openSale, scheduledSale } from '../helpers/instant.js';

/** Three people queued in an open sale admitting one a second: ranks 1-3, the first admitted. */
async function threeInLine(t: ExecutionContext, units: number) {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units });
  const people = await buyers(app, 3);
  await openSale(app, c.id);
  await tick(); // the room, and its shuffle of an empty pre-queue
  await app.db('instant_rooms').where({ campaign_id: c.id }).update({ admit_per_second: 1 });
  for (const p of people) await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p.headers });
  await tick(); // ranks 1-3, and a second's worth admitted: the first
  const look = async (i: number) =>
    (await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: people[i]!.headers })).json;
  return { app, tick, c, people, look };
}

test('a waiting place is answered from its remembered rank until the cursor reaches it', async (t) => {
  const { app, tick, people, look } = await threeInLine(t, 10);
  const [, second, third] = [await look(0), await look(1), await look(2)];
  t.is(second.queue.state, 'waiting');
  t.is(third.queue.state, 'waiting');
  t.is(third.queue.ahead, 1);
  // Nothing of the third place is read again while the cursor has not reached it: the same answer without its row.
  const row = await app.db('instant_queue').where({ identity_id: people[2]!.identity_id }).first();
  await app.db('instant_queue').where({ identity_id: people[2]!.identity_id }).delete();
  const remembered = await look(2);
  t.is(remembered.queue.state, 'waiting');
  t.is(remembered.queue.rank, third.queue.rank);
  await app.db('instant_queue').insert(row);
  // A second later the pass admits the second place; a look after the cursor was read again finds the turn.
  app.clock.advance(1000);
  await tick();
  const turn = await look(1);
  t.is(turn.queue.state, 'your_turn');
  t.truthy(turn.queue.admission_token);
  t.is((await look(2)).queue.state, 'waiting');
});

test('once the sale has sold out, a place still waiting is told so at once, not at its turn', async (t) => {
  const { app, c, people, look: lookAt } = await threeInLine(t, 1);
  const look = async (i: number) => (await lookAt(i)).queue;
  const first = await look(0);
  t.is((await look(2)).state, 'waiting'); // remembered from here on
  const bought = await app.request('POST', `/api/campaigns/${c.id}/purchases`, {
    headers: {
      ...people[0]!.headers,
      'idempotency-key': 'sold-out-first',
      'x-admission-token': first.admission_token,
    },
    json: { quantity: 10_000 },
  });
  t.is(bought.status, 201);
  app.clock.advance(1000); // past the shared read of the cursor and the stock
  const [second, third] = [await look(1), await look(2)];
  t.is(second.state, 'sold_out');
  t.is(third.state, 'sold_out');
  t.true(third.poll_after_ms >= 5000, 'stock can come back: it looks again later');
});
