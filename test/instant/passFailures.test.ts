// One sale's fault in the per-second pass stays that sale's: its holds are still settled, the sales after it are
// still admitted and told, and a place whose contact will not open does not stop the telling of the others.
import test from 'ava';
import { runInstantSales } from '../../src/commands/instant/runSales.js';
import { liveInstantCampaigns } from '../../src/db/repos/instantRooms.js';
import { TURN_NOTICE_AFTER_MS } from '../../src/domain/instant/waitingRoom.js';
import { buyAtTurn, buyers, instantWorld, openSale, queuedSale, scheduledSale } from '../helpers/instant.js';

const turnsOf = (db: import('knex').Knex, campaignId: string) =>
  db('messages').where({ kind: 'queue_turn', campaign_id: campaignId });

test('a place whose contact will not open is marked told without a notice; the others are told', async (t) => {
  const { app, ctx } = await instantWorld();
  t.teardown(() => app.close());
  const { c, people } = await queuedSale(app, 3);
  const [sealedWrong] = people;
  await app
    .db('instant_queue')
    .where({ campaign_id: c.id, identity_id: sealedWrong!.identity_id })
    .update({ contact_enc: 'v1.not-a-sealed-contact' });

  t.deepEqual((await runInstantSales(ctx)).failures, []); // the turns given
  app.clock.advance(TURN_NOTICE_AFTER_MS);
  const report = await runInstantSales(ctx); // and told
  t.deepEqual(report.failures, []);
  t.deepEqual(report.untellable, [{ campaignId: c.id, places: 1 }]);
  t.is((await turnsOf(app.db, c.id)).length, 2, 'the two others told');
  const marked = await app.db('instant_queue').where({ campaign_id: c.id }).whereNull('turn_notified_at');
  t.deepEqual(marked, [], 'nobody left to be tried again');

  app.clock.advance(1000);
  t.deepEqual((await runInstantSales(ctx)).untellable, [], 'reported once');
});

test('a chunk of buyers and one contact that will not open is no key fault: the one is marked, not the telling failed', async (t) => {
  const { app, ctx } = await instantWorld();
  t.teardown(() => app.close());
  const { c, people } = await queuedSale(app, 3);
  t.deepEqual((await runInstantSales(ctx)).failures, []); // the turns given
  const [a, b, unread] = people;
  for (const p of [a!, b!])
    t.is((await buyAtTurn(app, c.id, p, `chunk-of-buyers-${p.identity_id}`)).status, 201);
  await app
    .db('instant_queue')
    .where({ campaign_id: c.id, identity_id: unread!.identity_id })
    .update({ contact_enc: 'v1.not-a-sealed-contact' });
  app.clock.advance(TURN_NOTICE_AFTER_MS);
  const report = await runInstantSales(ctx);
  t.deepEqual(report.failures, []);
  t.deepEqual(report.untellable, [{ campaignId: c.id, places: 1 }]);
  t.is((await turnsOf(app.db, c.id)).length, 0);
  t.deepEqual(await app.db('instant_queue').where({ campaign_id: c.id }).whereNull('turn_notified_at'), []);
});

test('a telling where no contact opens (a changed DATA_KEY) fails and marks nobody; it tells them once they open', async (t) => {
  const { app, ctx } = await instantWorld();
  t.teardown(() => app.close());
  const { c } = await queuedSale(app, 2);
  const sealed = await app
    .db('instant_queue')
    .where({ campaign_id: c.id })
    .select('identity_id', 'contact_enc');
  await app
    .db('instant_queue')
    .where({ campaign_id: c.id })
    .update({ contact_enc: 'v1.sealed-with-another-key' });

  t.deepEqual((await runInstantSales(ctx)).failures, []); // the turns given
  app.clock.advance(TURN_NOTICE_AFTER_MS);
  const report = await runInstantSales(ctx); // and told
  t.deepEqual(
    report.failures.map((f) => f.part),
    ['telling'],
  );
  t.regex(String(report.failures[0]!.err), /none of 2 contacts .* would open: is DATA_KEY/);
  t.deepEqual(report.untellable, []);
  t.is(
    (await app.db('instant_queue').where({ campaign_id: c.id }).whereNotNull('turn_notified_at')).length,
    0,
  );

  for (const s of sealed)
    await app.db('instant_queue').where({ campaign_id: c.id, identity_id: s.identity_id }).update(s);
  app.clock.advance(1000);
  t.deepEqual((await runInstantSales(ctx)).failures, []);
  t.is((await turnsOf(app.db, c.id)).length, 2);
});

test('a sale whose telling fails still settles its holds, and the sale after it is admitted and told', async (t) => {
  const { app, ctx } = await instantWorld();
  t.teardown(() => app.close());
  const one = await scheduledSale(app, { units: 5 });
  const two = await scheduledSale(app, { units: 5 });
  await openSale(app, one.id);
  await openSale(app, two.id);
  // the sale the pass takes first (the sooner opening) is the one that fails
  await app
    .db('campaigns')
    .where({ id: two.id })
    .update({ opens_at: app.db.raw("opens_at - interval '1 minute'") });
  const [first, second] = (await liveInstantCampaigns(app.db, app.clock.now())).map((c) => c.id as string);
  t.deepEqual([first, second], [two.id, one.id]);

  // In the first sale, a buys and walks away from the payment: a hold that runs out in 10 minutes.
  const [a] = await buyers(app, 1);
  await app.request('POST', `/api/campaigns/${first}/queue`, { headers: a!.headers });
  t.deepEqual((await runInstantSales(ctx)).failures, []);
  t.is((await buyAtTurn(app, first!, a!, 'fail-pass-hold-1')).status, 201);

  // Its telling now fails (the messages table refuses its rows), while people queue in both sales.
  await app.db.raw(`
    CREATE FUNCTION refuse_first_sale() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'messages refused in this test'; END $$`);
  await app.db.raw(
    `CREATE TRIGGER refuse_first_sale BEFORE INSERT ON messages FOR EACH ROW
     WHEN (NEW.campaign_id = '${first}') EXECUTE FUNCTION refuse_first_sale()`,
  );
  const [x, y] = await buyers(app, 2, { sms: true });
  await app.request('POST', `/api/campaigns/${first}/queue`, { headers: x!.headers });
  await app.request('POST', `/api/campaigns/${second}/queue`, { headers: y!.headers });

  // x and y get their turns; the telling is due TURN_NOTICE_AFTER_MS later, the pass a's hold runs out in
  app.clock.advance(601_000 - TURN_NOTICE_AFTER_MS);
  t.deepEqual((await runInstantSales(ctx)).failures, []);
  app.clock.advance(TURN_NOTICE_AFTER_MS);
  const report = await runInstantSales(ctx);
  t.deepEqual(
    report.failures.map((f) => [f.campaignId, f.part]),
    [[first, 'telling']],
  );
  t.regex(String(report.failures[0]!.err), /messages refused in this test/);
  const held = await app.db('instant_purchases').where({ identity_id: a!.identity_id }).first();
  t.is(held.state, 'released', 'the failing sale settled its hold');
  t.is((await turnsOf(app.db, second!)).length, 1, 'the sale after it told its turn');
  t.is((await buyAtTurn(app, second!, y!, 'fail-pass-buy-2')).status, 201, 'and admitted');

  // Once the fault is gone, the next pass tells the first sale's untold place.
  await app.db.raw('DROP TRIGGER refuse_first_sale ON messages');
  app.clock.advance(1000);
  t.deepEqual((await runInstantSales(ctx)).failures, []);
  t.is((await turnsOf(app.db, first!)).length, 1);
});
