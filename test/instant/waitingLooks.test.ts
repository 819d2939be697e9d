// A look at a place still waiting is answered from the rank the process already read and one shared read of the
// admission cursor; once the cursor passes the place, the look reads the place again and finds the turn.
import test, { type ExecutionContext } from 'ava';
import { HELD_BACK_POLL_MS } from '../../src/domain/instant/waitingRoom.js';
import { buyAtTurn, buyers, instantWorld, openSale, scheduledSale } from '../helpers/instant.js';

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

test('while everything left is held, those in line wait for it; sold out is said to all once it is paid', async (t) => {
  const { app, tick, c, people, look: lookAt } = await threeInLine(t, 2);
  const look = async (i: number) => (await lookAt(i)).queue;
  app.clock.advance(1000);
  await tick(); // the second place is admitted too: two units, two buyers at the counter
  t.is((await look(2)).state, 'waiting'); // remembered from here on
  const bought = await buyAtTurn(app, c.id, people[0]!, 'sold-out-first', 20_000);
  t.is(bought.status, 201, bought.text);
  app.clock.advance(1000); // past the shared read of the cursor and the stock
  // Both units are in the first buyer's hold and come back if the payment fails: the second, at its turn, and
  // the third, remembered, wait for them, looking again in a few seconds; neither is sent away as sold out.
  const [second, third] = [await look(1), await look(2)];
  t.like(second, { state: 'waiting', ahead: 0, held_back: true, at_turn: true });
  t.like(third, { state: 'waiting', ahead: 0, held_back: true, at_turn: false });
  // The page tells the second that no second message comes (it was told at its turn), the third that one will.
  const pageOf = async (i: number) =>
    (
      await app.request('GET', `/campaigns/${c.id}/queue`, {
        headers: { ...people[i]!.headers, accept: 'text/html' },
      })
    ).text;
  // the one at their turn is not told that the stock is with buyers ahead of them: it is with whoever holds it
  const first = await pageOf(1);
  t.regex(first, /문자는 다시 보내지 않습니다/);
  t.regex(first, /id="queue-held-back">남은 물량은 모두 지금 결제 중인 분들에게 잡혀/);
  const next = await pageOf(2);
  t.regex(next, /차례가 되면 문자로도 알려 드립니다/);
  t.regex(next, /id="queue-held-back">남은 물량이 모두 앞선 분들의 구매 차례에/);
  for (const q of [second, third]) t.true(q.poll_after_ms >= HELD_BACK_POLL_MS, JSON.stringify(q));
  t.false('admission_token' in second);
  // The second waits at the front for its turn's whole length: a look a few seconds before the turn runs out, or
  // after, makes it live again past the next look, so the admission pass counts it all along and what comes back
  // is the second's, not the next in line's as well.
  const turnLeft = async () => {
    const q = await app.db('instant_queue').where({ identity_id: people[1]!.identity_id }).first();
    return q.token_expires_at.getTime() - app.clock.now().getTime();
  };
  app.clock.advance((await turnLeft()) - 3000);
  t.like(await look(1), { state: 'waiting', ahead: 0, held_back: true });
  t.true((await turnLeft()) > 100_000, 'renewed before it ran out');
  app.clock.advance(121_000);
  t.like(await look(1), { state: 'waiting', ahead: 0, held_back: true });
  t.true((await turnLeft()) > 100_000, 'and after');

  // Paid: nothing left and nothing held. Sold out for good, said to both, with no time to look again.
  const checkout = new URL(bought.json.purchase.order.checkout_url);
  const paid = await app.request('POST', checkout.pathname, { form: { choice: 'pay' } });
  const back = new URL(paid.headers.get('location')!, app.url);
  await app.request('GET', back.pathname + back.search);
  await tick(); // the pass settles the paid hold
  t.is((await app.db('instant_purchases').where({ campaign_id: c.id }).first()).state, 'paid');
  app.clock.advance(1000);
  for (const i of [2, 1]) {
    const r = await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: people[i]!.headers });
    t.deepEqual(r.json.queue, { state: 'sold_out', ticket: i === 1 ? second.ticket : third.ticket });
    t.is(r.headers.get('retry-after'), null);
  }
  const page = await app.request('GET', `/campaigns/${c.id}/queue`, {
    headers: { ...people[2]!.headers, accept: 'text/html' },
  });
  t.regex(page.text, /모두 판매되었습니다/);
  t.notRegex(page.text, /data-queue-state/, 'the page no longer refreshes itself');
});

test('once the sale has closed, a place whose turn never came is told so for good; a purchase stands', async (t) => {
  const { app, c, people, look: lookAt } = await threeInLine(t, 10);
  const look = async (i: number) => (await lookAt(i)).queue;
  const third = await look(2); // remembered from here on: the shared cursor read answers it
  t.is(third.state, 'waiting');
  const bought = await buyAtTurn(app, c.id, people[0]!, 'closed-first');
  t.is(bought.status, 201, bought.text);
  // Closed by the database clock, before the reconciler's pass has moved its state: the clock decides.
  await app.db.raw(
    `UPDATE campaigns SET opens_at = now() - interval '1 minute', closes_at = now() - interval '1 second' WHERE id = ?`,
    [c.id],
  );
  app.clock.advance(1000); // past the shared read of the cursor
  for (const i of [2, 1]) {
    const r = await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: people[i]!.headers });
    t.deepEqual(r.json.queue, { state: 'closed', ticket: r.json.queue.ticket });
    t.is(r.headers.get('retry-after'), null);
  }
  t.is((await look(2)).ticket, third.ticket);
  t.is((await look(0)).state, 'purchased');
  // A newcomer is turned away by the same clock, and no place is made for them.
  const [late] = await buyers(app, 1);
  const joined = await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: late!.headers });
  t.is(joined.status, 409, joined.text);
  t.is(joined.json.error.code, 'campaign_closed');
  t.is(await app.db('instant_queue').where({ identity_id: late!.identity_id }).first(), undefined);
  await app.db('campaigns').where({ id: c.id }).update({ state: 'closed' });
  t.is((await look(1)).state, 'closed');
  const page = await app.request('GET', `/campaigns/${c.id}/queue`, {
    headers: { ...people[2]!.headers, accept: 'text/html' },
  });
  t.regex(page.text, /id="queue-closed">판매가 끝났습니다/);
  t.notRegex(page.text, /data-queue-state/, 'the page no longer refreshes itself');
});
