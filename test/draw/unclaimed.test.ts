// Unclaimed awards, by the rules in src/domain/passDown.ts: with policy `return` the waitlist means nothing
// (those applicants are told "not selected") and an expired award goes back to the city; a claim deadline never
// passes claim_closes_at and nothing passes down once the claim window has closed; a promotion gets
// min(freed amount, own request capped at the per-person limit), and a voucher campaign without sites passes
// down to anyone on the waitlist, in rank order. Stepped clock; times are offsets from the scenario's start.
import test from 'ava';
import { fanOutResults } from '../../src/commands/resultFanout.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { at, awardsOf, drawnLottery } from './_scenario.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

// 40 voucher applicants asking 10,000..250,000 KRW for 1,000,000 KRW: about ten win, the rest wait.
const SMALL_BUDGET = {
  kind: 'voucher' as const,
  total: 1_000_000,
  applicants: 40,
};
const groups = JSON.stringify([{ name: 'senior', reserved: 200_000, weight: 2 }]);

const auditOf = async (campaignId: string, action: string) =>
  (
    await app
      .db('audit_log')
      .where({ subject: `campaign:${campaignId}`, action })
      .orderBy('seq')
  ).map((r) => r.data);
const messageKinds = async (campaignId: string) =>
  (await app.db('messages').where({ campaign_id: campaignId })).map((m) => m.kind as string);
const count = (xs: string[], x: string) => xs.filter((k) => k === x).length;

test.serial(
  'policy return: the waitlist is told "not selected", and an expired award returns to the city',
  async (t) => {
    const { s, reconciler, env } = await drawnLottery(app, {
      ...SMALL_BUDGET,
      campaign: { unclaimed_policy: 'return', groups },
    });
    const drawn = await awardsOf(app.db, s.campaignId);
    const winners = drawn.filter((a) => a.outcome === 'won');
    const others = drawn.filter((a) => a.outcome !== 'won');
    t.true(winners.length > 0 && others.length > 10, `${winners.length} won, ${others.length} not`);

    await fanOutResults(env, s.campaignId);
    let kinds = await messageKinds(s.campaignId);
    t.is(count(kinds, 'result_won'), winners.length);
    t.is(count(kinds, 'result_lost'), others.length, 'everyone not drawn is told they were not selected');
    t.is(count(kinds, 'result_waitlisted'), 0, 'nobody is told of a waitlist that will never move');

    app.clock.set(at(5 + 72)); // the claim period (72 h from the claim opening at +5 h) is over
    await reconciler.runOnce();
    const after = await awardsOf(app.db, s.campaignId);
    t.is(after.filter((a) => a.status === 'expired').length, winners.length);
    t.is(after.filter((a) => a.status === 'promoted').length, 0, 'nothing passes down');
    t.is(after.filter((a) => a.status === 'waitlisted').length, others.length);
    kinds = await messageKinds(s.campaignId);
    t.is(count(kinds, 'award_expired'), winners.length);
    // a voucher award lapses unpaid: the notice says the time to pay passed, not a pickup time
    const expired = await app.db('messages').where({ campaign_id: s.campaignId, kind: 'award_expired' });
    for (const m of expired) t.regex(m.body, /결제 기한이 지나|time to pay for/, m.body);
    t.is(count(kinds, 'promoted'), 0);
    t.is((await auditOf(s.campaignId, 'award.expired')).length, winners.length);
    t.deepEqual(await auditOf(s.campaignId, 'award.promoted'), []);
  },
);

test.serial('a claim deadline never passes claim_closes_at, and nothing passes down after it', async (t) => {
  // The claim window closes 10 hours after it opens, well inside the 72-hour claim period.
  const { s, reconciler } = await drawnLottery(app, {
    ...SMALL_BUDGET,
    campaign: { claim_closes_at: at(15), groups },
  });
  const drawn = await awardsOf(app.db, s.campaignId);
  const winners = drawn.filter((a) => a.outcome === 'won');
  t.true(winners.length > 0);
  for (const w of winners) t.is(w.claim_deadline.toISOString(), at(15).toISOString(), w.public_id);

  app.clock.set(at(15));
  await reconciler.runOnce();
  const after = await awardsOf(app.db, s.campaignId);
  t.is(after.filter((a) => a.status === 'expired').length, winners.length, 'expired at the window’s end');
  t.is(after.filter((a) => a.status === 'promoted').length, 0, 'the claim window is closed: no pass-down');
  t.is(count(await messageKinds(s.campaignId), 'promoted'), 0);
});

test.serial(
  'voucher pass-down goes to anyone waiting, in rank order, for min(freed, own request capped at the limit)',
  async (t) => {
    const { s, reconciler } = await drawnLottery(app, { ...SMALL_BUDGET, campaign: { groups } });
    const drawn = await awardsOf(app.db, s.campaignId);
    const winners = drawn.filter((a) => a.outcome === 'won');
    const waiting = drawn.filter((a) => a.outcome === 'waitlisted').sort((a, b) => a.waitlist - b.waitlist);
    t.true(winners.length >= 4 && waiting.length >= winners.length);
    // The limit is read when an award passes down: at 100,000 KRW some freed awards (up to 250,000) exceed it.
    const limit = 100_000;
    await app.db('campaigns').where({ id: s.campaignId }).update({ per_person_max: limit });
    const requests = new Map(
      (await app.db('roster_entries').where({ campaign_id: s.campaignId })).map((r) => [
        r.public_id as string,
        Number(r.request),
      ]),
    );
    const freedBy = new Map(winners.map((w) => [w.public_id as string, Number(w.amount)]));

    app.clock.set(at(5 + 72));
    await reconciler.runOnce();
    const promotions = (await auditOf(s.campaignId, 'award.promoted')) as Array<{
      public_id: string;
      from_public_id: string;
      amount: number;
      site: string;
      slot: string;
    }>;
    t.is(promotions.length, winners.length, 'every expired award passed down once');
    // No sites: the first applicants on the waitlist, in rank order, whatever they named.
    t.deepEqual(
      promotions.map((p) => p.public_id).sort(),
      waiting
        .slice(0, winners.length)
        .map((a) => a.public_id)
        .sort(),
    );
    let capped = 0;
    let short = 0;
    for (const p of promotions) {
      const freed = freedBy.get(p.from_public_id)!;
      const want = Math.min(requests.get(p.public_id)!, limit);
      t.is(p.amount, Math.min(freed, want), `${p.public_id}: freed ${freed}, wants ${want}`);
      t.is(p.site, '');
      t.is(p.slot, '');
      if (freed > limit && requests.get(p.public_id)! > limit) capped++;
      if (freed < want) short++;
    }
    // Both sides of the minimum happened, so the check above would see either one broken.
    t.true(capped > 0, 'some promotion was capped at the limit');
    t.true(short > 0, 'some promotion got less than it asked for');
    const after = await awardsOf(app.db, s.campaignId);
    for (const p of promotions) {
      const a = after.find((x) => x.public_id === p.public_id)!;
      t.is(a.status, 'promoted');
      t.is(Number(a.held_amount), p.amount);
    }
    t.is(count(await messageKinds(s.campaignId), 'promoted'), promotions.length);
  },
);
