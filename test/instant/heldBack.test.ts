// Admission bounded by the stock left: at an opening with more people in the pre-queue than units, only as many
// are let in (and told by SMS) as the units can serve; the others wait, told plainly that their turn comes only
// if stock comes back, and looking again seconds later rather than every pass. Turns that run out unused, and
// stock that comes back when a hold ends unpaid, go on to the next in line.
import test from 'ava';
import { reconcileOrders } from '../../src/commands/payments/reconcileOrders.js';
import { HELD_BACK_POLL_MS, TURN_NOTICE_AFTER_MS } from '../../src/domain/instant/waitingRoom.js';
import { derivedKey } from '../../src/payments/fromConfig.js';
import { devIssuer } from '../../src/payments/issuer.js';
import { TEST_SECRETS } from '../helpers/app.js';
import { buyers, instantWorld, openSale, scheduledSale } from '../helpers/instant.js';

const UNIT = 10_000;

test('more people than units: the units decide who is let in, and what comes back goes on in queue order', async (t) => {
  const { app, ctx, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 3, perPersonUnits: 1 });
  const people = await buyers(app, 8, { sms: true });
  for (const p of people) {
    const r = await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p.headers });
    t.is(r.json.queue.state, 'pre_queue', r.text);
  }
  await openSale(app, c.id);
  await tick(); // the shuffle, and admission: 500 a second and 2,000 at the counter allowed, 3 units to serve
  const room = async () => app.db('instant_rooms').where({ campaign_id: c.id }).first();
  const turnsTold = async () =>
    Number(
      (await app.db('messages').where({ kind: 'queue_turn', campaign_id: c.id }).count('* as n').first())!.n,
    );
  t.like(await room(), { admitted_through: 3, held_back: true });
  app.clock.advance(TURN_NOTICE_AFTER_MS);
  await tick(); // their turns told, once unused a while
  t.like(await room(), { admitted_through: 3, held_back: true });
  t.is(await turnsTold(), 3, 'an SMS only to those who can buy');

  const ranked = await app.db('instant_queue').where({ campaign_id: c.id }).orderBy('rank');
  const byRank = ranked.map((q) => people.find((p) => p.identity_id === q.identity_id)!);
  const look = async (i: number) =>
    (await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: byRank[i]!.headers })).json.queue;
  for (let i = 0; i < 8; i++) {
    const q = await look(i);
    if (i < 3) {
      t.is(q.state, 'your_turn');
      continue;
    }
    t.like(q, { state: 'waiting', rank: i + 1, ahead: i - 3, held_back: true });
    t.true(
      q.poll_after_ms >= HELD_BACK_POLL_MS && q.poll_after_ms < HELD_BACK_POLL_MS + 1000,
      JSON.stringify(q),
    );
  }
  // The page says why, in place of a wait in seconds that would not be true.
  const page = await app.request('GET', `/campaigns/${c.id}/queue`, {
    headers: { ...byRank[5]!.headers, accept: 'text/html' },
  });
  t.regex(page.text, /id="queue-held-back">남은 물량이 모두 앞선 분들의 구매 차례에 배정되어 있습니다/);
  t.notRegex(page.text, /예상 대기/);
  t.regex(page.text, /data-queue-held="yes"/);
  // An arrival now is placed at the next pass, but let in only if stock comes back: told to look in seconds.
  const [late] = await buyers(app, 1);
  const joined = (await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: late!.headers })).json
    .queue;
  t.is(joined.state, 'placing');
  t.true(joined.poll_after_ms >= HELD_BACK_POLL_MS && joined.poll_after_ms < HELD_BACK_POLL_MS + 1000);

  // Rank 1 buys (and does not pay); ranks 2 and 3 let their turns run out: two units are free for ranks 4 and 5.
  const first = await look(0);
  const bought = await app.request('POST', `/api/campaigns/${c.id}/purchases`, {
    headers: {
      ...byRank[0]!.headers,
      'idempotency-key': 'held-back-1',
      'x-admission-token': first.admission_token,
    },
    json: { quantity: UNIT },
  });
  t.is(bought.status, 201, bought.text);
  app.clock.advance(121_000);
  await tick();
  t.like(await room(), { admitted_through: 5, held_back: true });
  app.clock.advance(TURN_NOTICE_AFTER_MS);
  await tick();
  t.is(await turnsTold(), 5);
  t.is((await look(3)).state, 'your_turn');
  t.like(await look(5), { state: 'waiting', held_back: true });

  // Rank 1's hold ends unpaid: its unit comes back; with the turns of 4 and 5 run out, 6, 7 and 8 are let in.
  app.clock.advance(600_000);
  const payments = { ...ctx.payment!, issuer: devIssuer(derivedKey(TEST_SECRETS.dataKey, 'issuer')) };
  t.is((await reconcileOrders(payments)).expired, 1);
  await tick(); // gives the unit back
  await tick(); // admits on it
  t.like(await room(), { admitted_through: 8, held_back: true });
  app.clock.advance(TURN_NOTICE_AFTER_MS);
  await tick();
  t.is(await turnsTold(), 8);
  for (const i of [5, 6, 7]) t.is((await look(i)).state, 'your_turn');
  // the late arrival, ninth, waits for the next unit to come back
  const ninth = (await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: late!.headers })).json
    .queue;
  t.like(ninth, { state: 'waiting', rank: 9, ahead: 0, held_back: true });
});
