// Turn notices are written after the admission's commit, a few hundred a transaction: a place admitted but not
// told (its transaction failed, or the process stopped in between) is told by the next pass, once, and a place a
// buy holds locked is skipped, not waited for.
import test from 'ava';
import { buyers, instantWorld, openSale, scheduledSale } from '../helpers/instant.js';

/** A sale open with three people admitted by a pass, each with a phone number; `turns`: its turn notices. */
async function threeAdmitted() {
  const { app, tick } = await instantWorld();
  const c = await scheduledSale(app, { units: 5 });
  const people = await buyers(app, 3, { sms: true });
  await openSale(app, c.id);
  for (const p of people) await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p.headers });
  await tick();
  const turns = () => app.db('messages').where({ kind: 'queue_turn', campaign_id: c.id });
  return { app, tick, c, people, turns };
}

test('an admitted place left untold is told by the next pass, and a told one is not told again', async (t) => {
  const { app, tick, c, people, turns } = await threeAdmitted();
  t.teardown(() => app.close());
  t.is((await turns()).length, 3);

  // As if the telling had not committed for one of them: no message, not marked.
  const [lost] = people;
  await app.db('messages').where({ kind: 'queue_turn', campaign_id: c.id }).del();
  await app
    .db('instant_queue')
    .where({ campaign_id: c.id })
    .whereNot({ identity_id: lost!.identity_id })
    .update({
      turn_notified_at: app.db.fn.now(),
    });
  await app.db('instant_queue').where({ campaign_id: c.id, identity_id: lost!.identity_id }).update({
    turn_notified_at: null,
  });
  app.clock.advance(1000);
  await tick();
  const told = await turns();
  t.is(told.length, 1, 'only the untold place');
  t.regex(told[0].to_masked, /\*/);
  const place = await app
    .db('instant_queue')
    .where({ campaign_id: c.id, identity_id: lost!.identity_id })
    .first();
  t.truthy(place.turn_notified_at);
  app.clock.advance(1000);
  await tick();
  t.is((await turns()).length, 1, 'once');
});

test('the telling skips a place a buy holds locked, and tells it once the lock is gone', async (t) => {
  const { app, tick, c, people, turns } = await threeAdmitted();
  t.teardown(() => app.close());
  await app.db('messages').where({ kind: 'queue_turn', campaign_id: c.id }).del();
  await app.db('instant_queue').where({ campaign_id: c.id }).update({ turn_notified_at: null });

  // A buy's transaction holds one place's row (as instant_buy_many does while it spends the token).
  const [busy] = people;
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => {
    locked = r;
  });
  const buy = app.db.transaction(async (trx) => {
    await trx('instant_queue').where({ campaign_id: c.id, identity_id: busy!.identity_id }).forUpdate();
    locked();
    await released;
  });
  await isLocked;
  app.clock.advance(1000);
  const passed = await Promise.race([
    tick().then(() => true),
    new Promise((r) => setTimeout(() => r(false), 5000)),
  ]);
  t.true(passed, 'the pass did not wait for the buy');
  t.is((await turns()).length, 2, 'the two others told');
  release();
  await buy;
  app.clock.advance(1000);
  await tick();
  t.is((await turns()).length, 3, 'and the third once its row was free');
});
