// Looks at one's place that arrive together are read in one statement (batchedStandings): each look gets what it
// gets alone, in every state a place can be in, and a sale or a place that is not there is still not found.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import type { InstantContext } from '../../src/commands/instant/context.js';
import { queueStatus } from '../../src/commands/instant/queueStatus.js';
import { batched } from '../../src/db/batch.js';
import { findStanding, findStandings, type Look, type Standing } from '../../src/db/repos/instantStanding.js';
import { type Buyer, buyAtTurn, buyers, instantWorld, openSale, scheduledSale } from '../helpers/instant.js';

test('many looks at once, in every state, are answered batched as each is alone', async (t) => {
  const { app, ctx, tick } = await instantWorld();
  t.teardown(() => app.close());
  const join = (id: string, b: Buyer) =>
    app.request('POST', `/api/campaigns/${id}/queue`, { headers: b.headers });
  // A sale whose pre-queue is open, not yet shuffled.
  const early = await scheduledSale(app, { units: 10 });
  const [pre] = await buyers(app, 1);
  await join(early.id, pre!);
  /** An open sale of `units` admitting `perSecond`, its room made, then `joiners` join and are ranked. */
  const openWithLine = async (units: number, perSecond: number, joiners: Buyer[]) => {
    const sale = await scheduledSale(app, { units });
    await openSale(app, sale.id);
    await tick(); // the room, and its shuffle of an empty pre-queue
    await app.db('instant_rooms').where({ campaign_id: sale.id }).update({ admit_per_second: perSecond });
    for (const p of joiners) await join(sale.id, p);
    await tick();
    return sale;
  };
  // An open sale: five ranked (three admitted), one placed after the last pass, one who never joined.
  const people = await buyers(app, 7);
  const c = await openWithLine(10, 3, people.slice(0, 5));
  // A sold-out sale: one admitted, one waiting.
  const late = await buyers(app, 2);
  const gone = await openWithLine(10, 1, late);
  // A sale whose one unit is in a buyer's hold: the buyer, and one in line waiting for it to come back.
  const holders = await buyers(app, 2);
  const held = await openWithLine(1, 1, holders);
  t.is((await buyAtTurn(app, held.id, holders[0]!, 'standings-held')).status, 201);
  await join(c.id, people[5]!); // after the last pass: not ranked yet
  await app.db('instant_stock').where({ campaign_id: gone.id }).update({ remaining: 0 });

  t.is((await buyAtTurn(app, c.id, people[0]!, 'standings-0')).status, 201);
  await app
    .db('instant_queue')
    .where({ campaign_id: c.id, identity_id: people[1]!.identity_id })
    .update({ token_used_at: app.clock.now() });

  const looks: Look[] = [
    { campaign_id: early.id, identity_id: pre!.identity_id },
    ...people.map((p) => ({ campaign_id: c.id, identity_id: p.identity_id })),
    ...late.map((p) => ({ campaign_id: gone.id, identity_id: p.identity_id })),
    { campaign_id: randomUUID(), identity_id: people[2]!.identity_id }, // no such sale
    { campaign_id: c.id, identity_id: people[2]!.identity_id }, // the same look twice
    ...holders.map((p) => ({ campaign_id: held.id, identity_id: p.identity_id })),
  ];
  // ms_to_opening is read by the database clock at each statement: the same to within the test's time
  const timeless = (s: Standing | undefined) =>
    s && { ...s, ms_to_opening: Math.round(s.ms_to_opening / 60_000) };
  t.deepEqual(
    (await findStandings(app.db, looks)).map(timeless),
    (await Promise.all(looks.map((l) => findStanding(app.db, l.campaign_id, l.identity_id)))).map(timeless),
  );

  // The same answers through queueStatus, alone and batched; a fixed randomness makes poll_after_ms comparable.
  const fixed = { ...ctx, random: { bytes: (n: number) => Buffer.alloc(n, 7) } };
  const sizes: number[] = [];
  const together: InstantContext = {
    ...fixed,
    standings: batched({
      one: (l) => findStanding(app.db, l.campaign_id, l.identity_id),
      many: (ls) => {
        sizes.push(ls.length);
        return findStandings(app.db, ls);
      },
      lanes: 1,
      maxBatch: 200,
    }),
  };
  const answer = (x: InstantContext, l: Look) =>
    queueStatus(x, l.campaign_id, l.identity_id).catch((e: { code: string }) => ({ error: e.code }));
  const alone = [];
  for (const l of looks) alone.push(await answer(fixed, l));
  const states = alone.map((a) => ('state' in a ? a.state : a.error));
  t.deepEqual(states, [
    'pre_queue',
    'purchased',
    'turn_used',
    'your_turn',
    'waiting',
    'waiting',
    'placing',
    'not_found',
    'sold_out',
    'sold_out',
    'not_found',
    'your_turn',
    'purchased',
    'waiting',
  ]);
  t.like(alone.at(-1), { state: 'waiting', held_back: true }, 'the unit is held, not sold: it may come back');
  t.deepEqual(await Promise.all(looks.map((l) => answer(together, l))), alone);
  t.true(sizes.length > 0 && sizes.every((n) => n > 1), `read in batches: ${sizes}`);
});
