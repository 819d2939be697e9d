// Turn notices are written after the admission's commit, in a transaction of their own: a place admitted but not
// told (that transaction failed, or the process stopped between the two) is told by the next pass, once.
import test from 'ava';
import { buyers, instantWorld, openSale, scheduledSale } from '../helpers/instant.js';

test('an admitted place left untold is told by the next pass, and a told one is not told again', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 5 });
  const people = await buyers(app, 3, { sms: true });
  await openSale(app, c.id);
  for (const p of people) await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p.headers });
  await tick();
  const turns = () => app.db('messages').where({ kind: 'queue_turn', campaign_id: c.id });
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
