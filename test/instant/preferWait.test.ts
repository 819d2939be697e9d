// A look at a pre-queue place may wait for the opening (`Prefer: wait=N`, RFC 7240): held until the opening's
// pass has shuffled the pre-queue, it answers with the turn at once; without the preference, or with the opening
// further off than the wait, it answers at once as before; a wait with no shuffle ends at its time.
import test, { type ExecutionContext } from 'ava';
import type { InstantContext } from '../../src/commands/instant/context.js';
import { pendingAfter } from '../helpers/async.js';
import {
  buyers,
  buyWithToken,
  instantWorld,
  openSale,
  scheduledSale,
  strictPass,
} from '../helpers/instant.js';

/** Counts the places read from now on through the context's batched standings (restored at the test's end). */
function countedReads(t: ExecutionContext, ctx: InstantContext) {
  const standings = ctx.standings!;
  const reads = { n: 0 };
  ctx.standings = (look) => {
    reads.n++;
    return standings(look);
  };
  t.teardown(() => {
    ctx.standings = standings;
  });
  return reads;
}

const opensIn = (ms: number) =>
  `UPDATE campaigns SET opens_at = now() + interval '${ms} milliseconds' WHERE id = ?`;

/** A sale of ten units opening in `ms` (database clock), its room made, and two people not yet in it. */
async function openingIn(t: ExecutionContext, ms: number) {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 10 });
  await tick(); // the room
  const [waits, plain] = await buyers(app, 2);
  await app.db.raw(opensIn(ms), [c.id]);
  return { app, tick, c, waits: waits!, plain: plain!, queue: `/api/campaigns/${c.id}/queue` };
}

test('a pre-queue look that prefers to wait is answered at the shuffle, with the turn', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 10 });
  await tick(); // the room
  const [p, q, late] = await buyers(app, 3);
  const queue = `/api/campaigns/${c.id}/queue`;
  for (const b of [p!, q!]) t.is((await app.request('POST', queue, { headers: b.headers })).status, 200);

  // Ten minutes off: more than any wait, answered at once with when to look again.
  const far = await app.request('GET', queue, { headers: { ...p!.headers, prefer: 'wait=25' } });
  t.is(far.json.queue.state, 'pre_queue', far.text);
  t.is(far.headers.get('preference-applied'), 'wait=25');

  // Forty seconds off: a client that will wait is told to come back when its look would be held (25.5 s before,
  // spread over a second).
  await app.db.raw(opensIn(40_000), [c.id]);
  const soon = await app.request('GET', queue, { headers: { ...p!.headers, prefer: 'wait=25' } });
  t.true(soon.json.queue.poll_after_ms > 14_000 && soon.json.queue.poll_after_ms <= 16_500, soon.text);
  t.true(Number.isInteger(soon.json.queue.poll_after_ms));
  const joined = await app.request('POST', queue, { headers: { ...late!.headers, prefer: 'wait=25' } });
  t.is(joined.json.queue.state, 'pre_queue', 'a join this far from the opening is not held');
  t.true(joined.json.queue.poll_after_ms > 14_000 && joined.json.queue.poll_after_ms <= 16_500, joined.text);
  t.is(joined.headers.get('preference-applied'), 'wait=25');

  await app.db.raw(opensIn(2000), [c.id]);
  let answered = false;
  const held = app.request('GET', queue, { headers: { ...p!.headers, prefer: 'wait=10' } }).then((r) => {
    answered = true;
    return r;
  });
  const plain = await app.request('GET', queue, { headers: q!.headers });
  t.is(plain.json.queue.state, 'pre_queue', 'no preference: answered at once');
  t.is(plain.headers.get('preference-applied'), null);
  await new Promise((r) => setTimeout(r, 400));
  t.false(answered, 'held while the pre-queue is not shuffled');

  await openSale(app, c.id);
  await tick(); // the shuffle, admitting both
  const r = await held;
  t.is(r.status, 200, r.text);
  t.is(r.json.queue.state, 'your_turn', r.text);
  t.truthy(r.json.queue.admission_token);
  t.is(r.headers.get('preference-applied'), 'wait=10');
  const buy = await buyWithToken(app, c.id, p!, r.json.queue.admission_token, 'key-0001');
  t.is(buy.status, 201, buy.text);
});

test('a join in the last seconds before the opening, by a client that will wait, looks again at once and is held', async (t) => {
  const { app, tick, c, waits, plain, queue } = await openingIn(t, 1500);
  const joined = await app.request('POST', queue, { headers: { ...waits!.headers, prefer: 'wait=25' } });
  t.is(joined.json.queue.state, 'pre_queue', joined.text);
  // not spread over the next second: that sent the last second's joiners past the opening, unheld
  t.is(joined.json.queue.poll_after_ms, 0, joined.text);
  const other = await app.request('POST', queue, { headers: plain!.headers });
  t.true(
    other.json.queue.poll_after_ms >= 1500,
    `a client that will not wait looks after the opening: ${other.text}`,
  );

  const look = app.request('GET', queue, { headers: { ...waits!.headers, prefer: 'wait=25' } });
  t.true(await pendingAfter(look, 300), 'the look is held for the shuffle');
  await openSale(app, c.id);
  await tick();
  t.is((await look).json.queue.state, 'your_turn');
});

test('a join in the last second before the opening, by a client that will wait, is itself held for the shuffle and told its turn', async (t) => {
  const { app, tick, c, waits, plain, queue } = await openingIn(t, 900);
  // Answered, its look would come in the opening's rush: a slow phone's a round trip after the shuffle.
  const joined = app.request('POST', queue, { headers: { ...waits!.headers, prefer: 'wait=25' } });
  t.true(await pendingAfter(joined, 300), 'held for the shuffle');
  const other = await app.request('POST', queue, { headers: plain!.headers });
  t.is(other.json.queue.state, 'pre_queue', 'no preference: answered at once, with its ticket');
  await openSale(app, c.id);
  await tick();
  const r = await joined;
  t.is(r.status, 200, r.text);
  t.is(r.json.queue.state, 'your_turn', r.text);
  t.is(r.headers.get('preference-applied'), 'wait=25');
  const row = await app
    .db('instant_queue')
    .where({ campaign_id: c.id, identity_id: waits!.identity_id })
    .first();
  t.is(r.json.queue.ticket, row.ticket, 'the place the join took');
  t.true(row.pre, 'in the pre-queue');
});

test('an arrival that joins after the opening, while its pass has not shuffled, is held and answered with its turn', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 10 });
  await tick(); // the room
  const [early, arrival, plain] = await buyers(app, 3);
  const queue = `/api/campaigns/${c.id}/queue`;
  t.is((await app.request('POST', queue, { headers: early!.headers })).status, 200);
  await openSale(app, c.id); // open by the database's clock; the pass that shuffles has not run
  // Ranked by that pass after the pre-queue, and let in with it while the stock allows: told then, not told to look
  // a second later (the last units of a pre-queue smaller than the stock go to such arrivals).
  const joined = app.request('POST', queue, { headers: { ...arrival!.headers, prefer: 'wait=25' } });
  t.true(await pendingAfter(joined, 300), 'held for the opening pass');
  const other = await app.request('POST', queue, { headers: plain!.headers });
  t.like(other.json.queue, { state: 'placing' }, 'no preference: answered at once');
  await tick();
  const r = await joined;
  t.is(r.status, 200, r.text);
  t.like(r.json.queue, { state: 'your_turn', rank: 2 });
  t.is(r.headers.get('preference-applied'), 'wait=25');
});

test('the pass that shuffles in this process answers the looks it holds with their places, reading none', async (t) => {
  const { app } = await instantWorld();
  t.teardown(() => app.close());
  const ctx = app.deps.instant; // the service's own context, as the reconciler of its process runs it
  const c = await scheduledSale(app, { units: 1 });
  await strictPass(ctx); // the room
  const queue = `/api/campaigns/${c.id}/queue`;
  const people = await buyers(app, 2);
  for (const b of people) t.is((await app.request('POST', queue, { headers: b.headers })).status, 200);
  await app.db.raw(opensIn(2000), [c.id]);
  const held = people.map((b) => app.request('GET', queue, { headers: { ...b.headers, prefer: 'wait=10' } }));
  await new Promise((r) => setTimeout(r, 400)); // both looks read their place and wait

  const reads = countedReads(t, ctx);
  await openSale(app, c.id);
  await strictPass(ctx); // the shuffle: one unit, so rank 1 is admitted and rank 2 waits
  const answers = await Promise.all(held);
  t.is(reads.n, 0, 'no place read again after the shuffle');
  const turn = answers.find((r) => r.json.queue.state === 'your_turn');
  const wait = answers.find((r) => r.json.queue.state === 'waiting');
  t.truthy(turn, answers.map((r) => r.text).join('\n'));
  t.like(wait?.json.queue, { rank: 2, ahead: 0, held_back: true }); // the one unit is the admitted buyer's
  t.is(turn!.json.queue.rank, 1);

  // The token is the one the pass recorded: its jti and expiry, for this person.
  const claims = JSON.parse(
    Buffer.from(turn!.json.queue.admission_token.split('.')[1], 'base64url').toString(),
  );
  const row = await app.db('instant_queue').where({ campaign_id: c.id, identity_id: claims.sub }).first();
  t.is(claims.jti, row.token_jti);
  t.is(turn!.json.queue.expires_at, row.token_expires_at.toISOString());
  t.is(turn!.json.queue.ticket, row.ticket);
  const buyer = people[answers.indexOf(turn!)]!;
  const buy = await buyWithToken(app, c.id, buyer, turn!.json.queue.admission_token, 'key-0002');
  t.is(buy.status, 201, buy.text);
});

test('a wait ends at its time when no shuffle comes; a preference that is not a number is ignored', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 10 });
  await tick();
  const [p] = await buyers(app, 1);
  const queue = `/api/campaigns/${c.id}/queue`;
  await app.request('POST', queue, { headers: p!.headers });
  await app.db.raw(opensIn(500), [c.id]);
  const started = Date.now();
  const r = await app.request('GET', queue, { headers: { ...p!.headers, prefer: 'wait=2' } });
  const took = Date.now() - started;
  t.is(r.json.queue.state, 'pre_queue', r.text);
  t.true(took >= 1900 && took < 5000, `answered after ${took} ms`);
  t.true(r.json.queue.poll_after_ms <= 1500, 'the opening has passed: look again at once, plus the spread');

  for (const prefer of ['wait=soon', 'respond-async', 'wait=-1']) {
    const at = Date.now();
    const ignored = await app.request('GET', queue, { headers: { ...p!.headers, prefer } });
    t.is(ignored.json.queue.state, 'pre_queue', prefer);
    t.is(ignored.headers.get('preference-applied'), null, prefer);
    t.true(Date.now() - at < 1000, `${prefer}: answered at once`);
  }
  // More than the longest hold is held for that long at most, and says so.
  await app.db.raw(opensIn(600_000), [c.id]);
  const capped = await app.request('GET', queue, { headers: { ...p!.headers, prefer: 'wait=3600' } });
  t.is(capped.headers.get('preference-applied'), 'wait=25');
});

test("after the opening, an arrival's join or look that will wait is held for the next pass of this process and told its turn by it", async (t) => {
  const { app } = await instantWorld();
  t.teardown(() => app.close());
  const ctx = app.deps.instant; // the service's own context, as the reconciler of its process runs it
  t.true(ctx.shuffles!.handsArrivals, 'this process runs the passes');
  const c = await scheduledSale(app, { units: 10 });
  await strictPass(ctx); // the room
  const [early, arrival, plain] = await buyers(app, 3);
  const queue = `/api/campaigns/${c.id}/queue`;
  t.is((await app.request('POST', queue, { headers: early!.headers })).status, 200);
  await openSale(app, c.id);
  await strictPass(ctx); // the shuffle: the pre-queue's one place let in

  // Joined after that pass: unranked until the next one, which lets it in (the stock allows). Told by that pass,
  // not told to look a second later.
  const joined = app.request('POST', queue, { headers: { ...arrival!.headers, prefer: 'wait=25' } });
  t.true(await pendingAfter(joined, 300), 'held for the next pass');
  const other = await app.request('POST', queue, { headers: plain!.headers });
  t.like(other.json.queue, { state: 'placing', poll_after_ms: 1000 }, 'no preference: answered at once');
  // the same place's look, now with the preference: held for the same pass
  const look = app.request('GET', queue, { headers: { ...plain!.headers, prefer: 'wait=25' } });
  t.true(await pendingAfter(look, 300), 'a look at an unranked place is held too');

  const reads = countedReads(t, ctx);
  await strictPass(ctx);
  const [r, l] = await Promise.all([joined, look]);
  t.is(reads.n, 0, 'answered with what the pass gave them, no place read');
  t.like(r.json.queue, { state: 'your_turn', rank: 2 }, r.text);
  t.like(l.json.queue, { state: 'your_turn', rank: 3 }, l.text);
  t.is(r.headers.get('preference-applied'), 'wait=25');
  const row = await app
    .db('instant_queue')
    .where({ campaign_id: c.id, identity_id: arrival!.identity_id })
    .first();
  t.is(r.json.queue.ticket, row.ticket);
  t.is(r.json.queue.expires_at, row.token_expires_at.toISOString(), "the pass's own turn");
  const buy = await buyWithToken(app, c.id, arrival!, r.json.queue.admission_token, 'key-0003');
  t.is(buy.status, 201, buy.text);
});

test('an arrival in a room held back for stock is not held: it is told at once to look again seconds later', async (t) => {
  const { app } = await instantWorld();
  t.teardown(() => app.close());
  const ctx = app.deps.instant;
  const c = await scheduledSale(app, { units: 1 });
  await strictPass(ctx);
  const [first, second, arrival] = await buyers(app, 3);
  const queue = `/api/campaigns/${c.id}/queue`;
  for (const b of [first!, second!])
    t.is((await app.request('POST', queue, { headers: b.headers })).status, 200);
  await openSale(app, c.id);
  await strictPass(ctx); // the one unit is one pre-queue place's turn, the other place held back for stock
  const started = Date.now();
  const r = await app.request('POST', queue, { headers: { ...arrival!.headers, prefer: 'wait=25' } });
  t.true(Date.now() - started < 1000, 'answered at once');
  t.is(r.json.queue.state, 'placing', r.text);
  t.true(r.json.queue.poll_after_ms >= 5000, r.text);
});
