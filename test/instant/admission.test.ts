// Admission over HTTP: the pass that shuffles admits the opening second's worth, and every answer that means
// "not yet" says when to look again (poll_after_ms and Retry-After), so a crowd does not poll every second.
// The room's rules are set by an admin before its pre-queue opens, and fixed after.
import test from 'ava';
import { shufflePreQueue } from '../../src/domain/instant/waitingRoom.js';
import { type Buyer, buyers, instantWorld, openSale, scheduledSale } from '../helpers/instant.js';

test('the shuffle admits the first second at once; the rest are told when their turn should come', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 50 });
  // An admin sets the room's rules, which change only before its pre-queue opens (30 minutes before the sale).
  const opensAt: Date = (await app.db('campaigns').where({ id: c.id }).first()).opens_at;
  const was = app.clock.now();
  const rules = {
    prequeue_minutes: 30,
    admit_per_second: 2,
    max_active: 2000,
    token_seconds: 120,
    hold_seconds: 600,
    overbook_percent: 25,
  };
  const roomUrl = `/api/admin/campaigns/${c.id}/instant-room`;
  app.clock.set(new Date(opensAt.getTime() - 31 * 60_000));
  await tick(); // the reconciler's pass makes a scheduled sale's room
  const admin = await app.staff('admin');
  const set = await app.request('PUT', roomUrl, { as: admin, json: rules });
  t.is(set.status, 200, set.text);
  t.deepEqual(set.json.rules, rules);
  const tooMany = await app.request('PUT', roomUrl, {
    as: admin,
    json: { ...rules, overbook_percent: 1001 },
  });
  t.is(tooMany.status, 422, tooMany.text);
  t.truthy(tooMany.json.error.fields.overbook_percent);
  // an empty string (a form's cleared field) is not a 0
  const blank = await app.request('PUT', roomUrl, { as: admin, json: { ...rules, prequeue_minutes: '' } });
  t.is(blank.status, 422, blank.text);
  t.truthy(blank.json.error.fields.prequeue_minutes);
  t.is((await app.db('instant_rooms').where({ campaign_id: c.id }).first()).overbook_percent, 25);
  app.clock.set(new Date(opensAt.getTime() - 29 * 60_000));
  const fixed = await app.request('PUT', roomUrl, { as: admin, json: { ...rules, admit_per_second: 1000 } });
  t.is(fixed.status, 409, fixed.text);
  t.is(fixed.json.error.code, 'campaign_not_editable');
  const nowhere = await app.request('PUT', `/api/admin/campaigns/${crypto.randomUUID()}/instant-room`, {
    as: admin,
    json: rules,
  });
  t.is(nowhere.status, 404);
  t.is(nowhere.json.error.code, 'not_found');
  app.clock.set(was);
  t.is((await app.db('instant_rooms').where({ campaign_id: c.id }).first()).admit_per_second, 2);
  const audited = await app
    .db('audit_log')
    .where({ subject: `campaign:${c.id}`, action: 'instant.rules_changed' });
  t.deepEqual(
    audited.map((a) => [a.actor, a.data]),
    [[`staff:${admin.id}`, rules]],
  );

  const people = await buyers(app, 5);
  const queue = `/api/campaigns/${c.id}/queue`;
  for (const p of people) {
    const r = await app.request('POST', queue, { headers: p.headers });
    t.is(r.json.queue.state, 'pre_queue', r.text);
    // opening is ten minutes away: look again in 30 s (a sale moved earlier is noticed), not every second
    t.true(r.json.queue.poll_after_ms >= 30_000 && r.json.queue.poll_after_ms < 31_000, r.text);
    t.is(r.headers.get('retry-after'), String(Math.ceil(r.json.queue.poll_after_ms / 1000)));
  }
  const again = await app.request('POST', queue, { headers: people[0]!.headers });
  t.is(again.json.queue.state, 'pre_queue', 'joining again answers the same place');
  await openSale(app, c.id);
  await tick(); // the shuffle, and in the same pass the first second's worth (2)
  const room = await app.db('instant_rooms').where({ campaign_id: c.id }).first();
  t.truthy(room.shuffled_at);
  t.is(room.admitted_through, 2, 'admitted in the pass that shuffled, not one pass later');

  const states: Record<string, number> = {};
  for (const p of people) {
    const r = await app.request('GET', queue, { headers: p.headers });
    const q = r.json.queue;
    states[q.state] = (states[q.state] ?? 0) + 1;
    if (q.state === 'your_turn') {
      t.is(q.poll_after_ms, undefined, 'at one’s turn there is nothing to wait for');
      t.is(r.headers.get('retry-after'), null);
    } else {
      t.is(q.state, 'waiting');
      // at 2 a second, rank r is (r - 2) halves of a second away: at least the next pass, spread by under a second
      const turnMs = Math.max(1000, Math.ceil(((q.ahead + 1) * 1000) / 2));
      t.true(q.poll_after_ms >= turnMs && q.poll_after_ms < turnMs + 1000, JSON.stringify(q));
      t.is(r.headers.get('retry-after'), String(Math.ceil(q.poll_after_ms / 1000)));
    }
  }
  t.deepEqual(states, { your_turn: 2, waiting: 3 });

  const [late] = await buyers(app, 1);
  const placing = await app.request('POST', queue, { headers: late!.headers });
  t.is(placing.json.queue.state, 'placing', placing.text);
  t.is(placing.json.queue.poll_after_ms, 1000, 'ranked at the next pass: look then');
  t.is(placing.headers.get('retry-after'), '1');
});

test('the opening pass ranks the pre-queue by the seed and the arrivals after it, and admits as far as the rate', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  // `early` join the pre-queue, `late` arrive after the opening and before its pass; the pass admits `rate`
  const opening = async (o: { early: number; late: number; rate: number }) => {
    const c = await scheduledSale(app, { units: 50 });
    const queue = `/api/campaigns/${c.id}/queue`;
    const early = await buyers(app, o.early);
    for (const p of early) await app.request('POST', queue, { headers: p.headers });
    await openSale(app, c.id);
    const late = await buyers(app, o.late);
    for (const p of late) await app.request('POST', queue, { headers: p.headers });
    await app.db('instant_rooms').where({ campaign_id: c.id }).update({ admit_per_second: o.rate });
    await tick();
    const room = await app.db('instant_rooms').where({ campaign_id: c.id }).first();
    const places = await app.db('instant_queue').where({ campaign_id: c.id }).orderBy('rank');
    const placeOf = (b: Buyer) => places.find((p) => p.identity_id === b.identity_id)!;
    const looks = await Promise.all(
      [...early, ...late].map(async (p) => {
        const r = await app.request('GET', queue, { headers: p.headers });
        return [Number(placeOf(p).rank), r.json.queue.state] as const;
      }),
    );
    return { room, places, late: late.map((b) => Number(placeOf(b).rank)), looks };
  };
  const statesByRank = (looks: ReadonlyArray<readonly [number, string]>) =>
    [...looks].sort((x, y) => x[0] - y[0]).map(([, state]) => state);
  const live = (p: { token_jti: string | null; token_expires_at: Date | null }) =>
    p.token_jti !== null && p.token_expires_at! > app.clock.now();

  // Fewer admitted than the pre-queue: tokens for the first three ranks only.
  const few = await opening({ early: 8, late: 2, rate: 3 });
  t.is(few.room.admitted_through, 3);
  t.deepEqual(
    few.places.map((p) => Number(p.rank)),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  // the pre-queue first, in the order its seed gives (8 places: 40,320 orders); then arrivals as they came
  const pre = few.places.filter((p) => p.pre).map((p) => p.ticket);
  t.is(pre.length, 8);
  t.deepEqual(pre, shufflePreQueue(few.room.seed, [...pre].sort()));
  t.deepEqual(few.late, [9, 10]);
  t.deepEqual(few.places.map(live), [true, true, true, false, false, false, false, false, false, false]);
  t.deepEqual(statesByRank(few.looks), [...Array(3).fill('your_turn'), ...Array(7).fill('waiting')]);

  // More admitted than the pre-queue: the first arrival's turn comes in the same pass.
  const past = await opening({ early: 4, late: 3, rate: 5 });
  t.is(past.room.admitted_through, 5);
  t.deepEqual(past.late, [5, 6, 7]);
  t.deepEqual(past.places.map(live), [true, true, true, true, true, false, false]);
  t.deepEqual(statesByRank(past.looks), [...Array(5).fill('your_turn'), 'waiting', 'waiting']);
});

test('the order of a purchase is first looked at by the payment reconciler after its first delay, not in the next pass', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 5 });
  const [b] = await buyers(app, 1);
  await openSale(app, c.id);
  await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: b!.headers });
  await tick();
  app.clock.advance(2000);
  await tick();
  const q = (await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: b!.headers })).json.queue;
  const r = await app.request('POST', `/api/campaigns/${c.id}/purchases`, {
    headers: { ...b!.headers, 'idempotency-key': 'key-first-look-1', 'x-admission-token': q.admission_token },
    json: { quantity: 10_000 },
  });
  t.is(r.status, 201, r.text);
  const o = await app.db('orders').where({ campaign_id: c.id }).first();
  t.is(o.state, 'pending');
  // the buyer is at the checkout: a lookup now would only find it unpaid (nextCheckDelayMs(0) = 5 s)
  t.is(o.next_check_at.getTime() - o.pending_at.getTime(), 5000);

  // Too early to join another sale (its pre-queue opens 30 minutes before it), or a cancelled one: said so,
  // and no place is taken.
  const later = await scheduledSale(app, { units: 5 });
  await app.db.raw(`UPDATE campaigns SET opens_at = now() + interval '12 hours' WHERE id = ?`, [later.id]);
  const join = () => app.request('POST', `/api/campaigns/${later.id}/queue`, { headers: b!.headers });
  const early = await join();
  t.is(early.status, 409, early.text);
  t.is(early.json.error.code, 'campaign_not_open');
  const opensAt: Date = (await app.db('campaigns').where({ id: later.id }).first()).opens_at;
  t.is(early.json.error.details.prequeue_opens_at, new Date(opensAt.getTime() - 30 * 60_000).toISOString());
  await app.db('campaigns').where({ id: later.id }).update({ state: 'cancelled' });
  const cancelled = await join();
  t.is(cancelled.status, 409, cancelled.text);
  t.is(cancelled.json.error.code, 'campaign_closed');
  t.deepEqual(await app.db('instant_queue').where({ campaign_id: later.id }), []);
});
