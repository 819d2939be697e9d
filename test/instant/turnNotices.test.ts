// Turn notices are written after the admission's commit, a few hundred a transaction: a place admitted but not
// told (its transaction failed, or the process stopped in between) is told by the next pass, once, and a place a
// buy holds locked is skipped, not waited for.
import test from 'ava';
import { cancelSpentTurns, spentTurnsPick } from '../../src/db/repos/instantQueue.js';
import { addJobsForWaitingMessages } from '../../src/db/repos/messages.js';
import { TURN_NOTICE_AFTER_MS } from '../../src/domain/instant/waitingRoom.js';
import { heldLocked } from '../helpers/async.js';
import { buyAtTurn, buyers, instantWorld, openSale, queuedSale, scheduledSale } from '../helpers/instant.js';

/** A sale open with three people admitted by a pass, each with a phone number; `turns`: its turn notices. */
async function threeAdmitted() {
  const { app, tick } = await instantWorld();
  const { c, people } = await queuedSale(app, 3);
  await tick(); // admitted
  app.clock.advance(TURN_NOTICE_AFTER_MS);
  await tick(); // told: nobody bought meanwhile
  const turns = () => app.db('messages').where({ kind: 'queue_turn', campaign_id: c.id });
  /** As if the pass had not told them yet: no messages, nobody marked. */
  const untold = async () => {
    await turns().del();
    await app.db('instant_queue').where({ campaign_id: c.id }).update({ turn_notified_at: null });
  };
  return { app, tick, c, people, turns, untold };
}

/** The turn notice of one person's place in the sale. */
async function turnOf(
  app: Awaited<ReturnType<typeof instantWorld>>['app'],
  saleId: string,
  identityId: string,
) {
  const place = await app.db('instant_queue').where({ campaign_id: saleId, identity_id: identityId }).first();
  return app
    .db('messages')
    .where({ dedupe_key: `queue_turn:${saleId}:${place.ticket}` })
    .first();
}

test('a turn is told only once it has gone unused for a while: one who buys at the page at once gets no SMS', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const { c, people } = await queuedSale(app, 3);
  await tick();
  const turns = () => app.db('messages').where({ kind: 'queue_turn', campaign_id: c.id });
  t.is((await turns()).length, 0, 'not in the pass that gave the turns');
  const [quick] = people;
  t.is((await buyAtTurn(app, c.id, quick!, 'bought-at-once')).status, 201);
  app.clock.advance(TURN_NOTICE_AFTER_MS - 1000);
  await tick();
  t.is((await turns()).length, 0, 'nor a second before the delay');
  app.clock.advance(1000);
  await tick();
  t.is((await turns()).length, 2, 'then to the two who have not bought');
  t.falsy(await turnOf(app, c.id, quick!.identity_id));
});

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

test('a place that bought before its turn was told is marked told and sent nothing', async (t) => {
  const { app, tick, c, people, turns, untold } = await threeAdmitted();
  t.teardown(() => app.close());
  await untold();
  const [quick] = people;
  t.is((await buyAtTurn(app, c.id, quick!, 'bought-before-told')).status, 201);
  app.clock.advance(1000);
  await tick();
  const told = await turns();
  t.is(told.length, 2, 'the two who have not bought');
  t.falsy(await turnOf(app, c.id, quick!.identity_id), 'no notice for the buyer, not even a cancelled one');
  t.deepEqual(
    await app.db('instant_queue').where({ campaign_id: c.id }).whereNull('turn_notified_at'),
    [],
    'all three marked',
  );
});

test('the telling skips a place a buy holds locked, and tells it once the lock is gone', async (t) => {
  const { app, tick, c, people, turns, untold } = await threeAdmitted();
  t.teardown(() => app.close());
  await untold();

  // A buy's transaction holds one place's row (as instant_buy_many does while it spends the token).
  const [busy] = people;
  const release = await heldLocked(app.db, 'instant_queue', {
    campaign_id: c.id,
    identity_id: busy!.identity_id,
  });
  app.clock.advance(1000);
  const passed = await Promise.race([
    tick().then(() => true),
    new Promise((r) => setTimeout(() => r(false), 5000)),
  ]);
  t.true(passed, 'the pass did not wait for the buy');
  t.is((await turns()).length, 2, 'the two others told');
  await release();
  app.clock.advance(1000);
  await tick();
  t.is((await turns()).length, 3, 'and the third once its row was free');
});

test('turns still queued when the sale sells out are cancelled with their jobs, and a resend leaves them', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 1 });
  await tick(); // the room, made by the pass
  // Overbooked threefold: three turns for the one voucher, each told by SMS.
  t.is(await app.db('instant_rooms').where({ campaign_id: c.id }).update({ overbook_percent: 200 }), 1);
  const people = await buyers(app, 3, { sms: true });
  await openSale(app, c.id);
  for (const p of people) await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p.headers });
  await tick();
  app.clock.advance(TURN_NOTICE_AFTER_MS);
  await tick();
  const turns = () => app.db('messages').where({ kind: 'queue_turn', campaign_id: c.id }).orderBy('id');
  t.is((await turns()).length, 3);
  await addJobsForWaitingMessages(app.db, 100); // as the notification worker's relay does
  const jobKeys = (await turns()).map((m) => `message:${m.id}`);
  const jobs = () => app.db('graphile_worker.jobs').whereIn('key', jobKeys);
  t.is((await jobs()).length, 3);
  // The first buyer's was sent before the sale ran out.
  const sent = await turnOf(app, c.id, people[0]!.identity_id);
  await app.db('messages').where({ id: sent.id }).update({ status: 'sent', provider: 'outbox' });

  // The first buys and pays: nothing left, nothing held.
  const bought = await buyAtTurn(app, c.id, people[0]!, 'sold-out-turns-1');
  t.is(bought.status, 201, bought.text);
  app.clock.advance(1000);
  await tick();
  t.deepEqual(
    (await turns()).map((m) => m.status).sort(),
    ['queued', 'queued', 'sent'],
    'held, not sold out: a hold that runs out gives a turn back',
  );
  const checkout = new URL(bought.json.purchase.order.checkout_url);
  const paid = await app.request('POST', checkout.pathname, { form: { choice: 'pay' } });
  const back = new URL(paid.headers.get('location')!, app.url);
  await app.request('GET', back.pathname + back.search);
  app.clock.advance(1000);
  t.deepEqual(
    (await tick()).cancelled,
    [],
    'the pass that settles the paid hold decides on the hold as it stood',
  );
  app.clock.advance(1000);
  const report = await tick();
  t.deepEqual(report.cancelled, [{ campaignId: c.id, notices: 2, reason: 'sale_sold_out' }]);
  t.deepEqual((await turns()).map((m) => [m.status, m.error_code]).sort(), [
    ['cancelled', 'sale_sold_out'],
    ['cancelled', 'sale_sold_out'],
    ['sent', null],
  ]);
  t.is((await jobs()).length, 1, 'only the sent one has a job left (finished by its worker in the service)');

  // Not a failure: the admin's view counts them apart, and "resend the failed" leaves them.
  const admin = await app.staff('admin');
  const counts = await app.request('GET', `/api/admin/campaigns/${c.id}/messages`, { as: admin });
  t.is(counts.json.counts.sms.cancelled, 2);
  t.is(counts.json.counts.sms.failed, 0);
  const resent = await app.request('POST', `/api/admin/campaigns/${c.id}/messages/retry`, {
    as: admin,
    json: {},
  });
  t.is(resent.status, 200, resent.text);
  t.is(resent.json.requeued, 0);
  app.clock.advance(1000);
  t.deepEqual((await tick()).cancelled, [], 'cancelled once');
});

test("an admin's cancel of an open sale cancels its unsent notices, all but one a provider may have had", async (t) => {
  const { app, tick, c, turns } = await threeAdmitted();
  t.teardown(() => app.close());
  const [inDoubt, sent] = await turns().orderBy('id');
  // one timed out at the provider and waits for its retry (it may have gone out), one was sent
  await app.db('messages').where({ id: inDoubt.id }).update({ attempts: 1, in_doubt_since: app.db.fn.now() });
  await app.db('messages').where({ id: sent.id }).update({ status: 'sent', provider: 'outbox' });
  const admin = await app.staff('admin');
  const cancel = await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, {
    as: admin,
    json: { reason: 'supply withdrawn' },
  });
  t.is(cancel.status, 200, cancel.text);
  const after = new Map((await turns()).map((m) => [m.id, [m.status, m.error_code]]));
  t.deepEqual(after.get(inDoubt.id), ['queued', null]);
  t.deepEqual(after.get(sent.id), ['sent', null]);
  t.deepEqual(
    [...after.values()].filter(([s]) => s === 'cancelled'),
    [['cancelled', 'campaign_cancelled']],
  );
  const audit = await app
    .db('audit_log')
    .where({ subject: `campaign:${c.id}`, action: 'campaign.cancelled' });
  t.is(audit[0].data.notices_cancelled, 1);
  t.deepEqual((await tick()).failures, [], 'the pass leaves a cancelled sale alone');
});

test('a turn notice still queued when its place buys is cancelled: the purchase came before the SMS', async (t) => {
  const { app, tick, c, people, turns } = await threeAdmitted();
  t.teardown(() => app.close());
  const [buyer, waiting] = people;
  t.is((await buyAtTurn(app, c.id, buyer!, 'spent-turn-1')).status, 201);
  app.clock.advance(1000);
  const report = await tick();
  t.deepEqual(report.cancelled, [{ campaignId: c.id, notices: 1, reason: 'turn_used' }]);
  const bought = await turnOf(app, c.id, buyer!.identity_id);
  t.deepEqual([bought.status, bought.error_code], ['cancelled', 'turn_used']);
  t.is(
    (await turnOf(app, c.id, waiting!.identity_id)).status,
    'queued',
    'one who has not bought is still told',
  );
  t.is((await turns().where({ status: 'queued' })).length, 2);
  app.clock.advance(1000);
  t.deepEqual((await tick()).cancelled, [], 'once');
});

/** Rows of `relation` a plan read (kept or filtered out), summed over its nodes and loops (EXPLAIN ANALYZE's JSON). */
function rowsRead(plan: Record<string, unknown>, relation: string): number {
  const n = (k: string) => Number(plan[k] ?? 0);
  const own =
    plan['Relation Name'] === relation
      ? (n('Actual Rows') + n('Rows Removed by Filter') + n('Rows Removed by Index Recheck')) *
        n('Actual Loops')
      : 0;
  const kids = (plan.Plans as Array<Record<string, unknown>> | undefined) ?? [];
  return own + kids.reduce((sum, k) => sum + rowsRead(k, relation), 0);
}

test("cancelling spent turns reads each queued notice's place once, however many places have bought", async (t) => {
  const { app, c } = await threeAdmitted();
  t.teardown(() => app.close());
  const N = 3000;
  // The planner's statistics as an opening finds them: read before the rush wrote its rows, when the messages were
  // the sign-in codes of the people about to join (no campaign's).
  await app.db.raw(
    `INSERT INTO messages (dedupe_key, kind, channel, lang, template, to_masked, body, status)
     SELECT 'otp:' || i, 'otp', 'sms', 'ko', 'otp.ko.sms', '***', 'code', 'sent' FROM generate_series(1, :n) i`,
    { n: N },
  );
  await app.db.raw('ANALYZE messages, instant_queue');
  await app.db.raw(
    `INSERT INTO instant_queue (campaign_id, identity_id, ticket, joined_at, pre, rank, turn_notified_at, token_used_at)
     SELECT :c, gen_random_uuid(), 'rush-' || i, now(), true, 100 + i, now(), CASE WHEN i <= :bought THEN now() END
       FROM generate_series(1, :n) i`,
    { c: c.id, n: N, bought: 2000 },
  );
  await app.db.raw(
    `INSERT INTO messages (dedupe_key, campaign_id, kind, channel, lang, template, to_masked, body)
     SELECT 'queue_turn:' || :c || ':rush-' || i, :c, 'queue_turn', 'sms', 'ko', 'queue_turn.ko.sms', '***', 'turn'
       FROM generate_series(1, :n) i`,
    { c: c.id, n: N },
  );
  const pick = spentTurnsPick(c.id);
  const { rows } = await app.db.raw(`EXPLAIN (ANALYZE, FORMAT JSON) ${pick.sql}`, pick.bindings);
  const plan = rows[0]['QUERY PLAN'][0].Plan;
  // Joined on a key built from each place, the plan read all 2,000 bought places for every notice: 1,000 notices
  // (its limit) took 2,000,000 reads, seconds of a core in every pass of a sell-out.
  t.true(rowsRead(plan, 'instant_queue') <= 2 * N, `${rowsRead(plan, 'instant_queue')} places read`);
  t.is(await cancelSpentTurns(app.db, c.id), 1000, 'a call cancels at most 1,000');
  t.is(await cancelSpentTurns(app.db, c.id), 1000);
  t.is(await cancelSpentTurns(app.db, c.id), 0, 'the 1,000 who have not bought are still told');
  t.is(
    (await app.db('messages').where({ campaign_id: c.id, status: 'queued', kind: 'queue_turn' })).length,
    1003,
  );
});
