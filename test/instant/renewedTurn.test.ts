// A turn that ran out unspent (the resident was away) is given again at their next look only while the counter
// has room: it is one more buyer there, and the cap on active buyers holds for it as for the pass's admissions.
import test from 'ava';
import { activeTokens } from '../../src/db/repos/instantQueue.js';
import { type Buyer, buyAtTurn, buyers, instantWorld, openSale, scheduledSale } from '../helpers/instant.js';

test('a turn that ran out is given again only while the cap leaves room; meanwhile it waits at the front', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 50 });
  await tick(); // the room
  await app
    .db('instant_rooms')
    .where({ campaign_id: c.id })
    .update({ max_active: 2, admit_per_second: 1000 });
  const queue = `/api/campaigns/${c.id}/queue`;
  const people = await buyers(app, 4);
  await openSale(app, c.id);
  for (const p of people) t.is((await app.request('POST', queue, { headers: p.headers })).status, 200);
  const look = async (b: Buyer) => (await app.request('GET', queue, { headers: b.headers })).json.queue;
  const liveTokens = () => activeTokens(app.db, c.id, app.clock.now());

  await tick(); // ranks the four in order of arrival and admits two: the cap
  t.like(await look(people[0]!), { state: 'your_turn', rank: 1 });
  t.is(await liveTokens(), 2);

  // The first two stay away past their turn's two minutes; the pass lets the next two in.
  app.clock.advance(121_000);
  await tick();
  t.like(await look(people[2]!), { state: 'your_turn', rank: 3 });
  t.is(await liveTokens(), 2);

  // The first comes back: the counter is full, so it waits at the front, with no token, and no third live one.
  const back = await look(people[0]!);
  t.like(back, { state: 'waiting', rank: 1, ahead: 0, at_turn: true }, JSON.stringify(back));
  t.false('admission_token' in back);
  t.is(await liveTokens(), 2, 'the cap holds');

  // One of those at the counter buys: room for one, and the first's turn is given again.
  const bought = await buyAtTurn(app, c.id, people[2]!, 'renewed-turn-1');
  t.is(bought.status, 201, bought.text);
  const again = await look(people[0]!);
  t.like(again, { state: 'your_turn', rank: 1 }, JSON.stringify(again));
  t.is(await liveTokens(), 2);
  // and the second, back too, waits: the room that freed is taken
  t.like(await look(people[1]!), { state: 'waiting', rank: 2, at_turn: true });
});
