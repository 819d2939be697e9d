// A look at a place still waiting is answered from the rank the process already read and one shared read of the
// admission cursor; once the cursor passes the place, the look reads the place again and finds the turn.
import test from 'ava';
import { buyers, instantWorld, openSale, scheduledSale } from '../helpers/instant.js';

test('a waiting place is answered from its remembered rank until the cursor reaches it', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 10 });
  const people = await buyers(app, 3);
  await openSale(app, c.id);
  await tick(); // the room, and its shuffle of an empty pre-queue
  await app.db('instant_rooms').where({ campaign_id: c.id }).update({ admit_per_second: 1 });
  for (const p of people) await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p.headers });
  await tick(); // ranks 1-3, and a second's worth admitted: the first
  const look = async (i: number) =>
    (await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: people[i]!.headers })).json;
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
