// Pickup reminders: 10:00 KST on the day before the slot (or the claim deadline), once per held award even with
// two instances sweeping at the same moment, never for an award collected or expired by then.
import test from 'ava';
import { claimKeyOf } from '../../src/commands/awardNotices.js';
import { claimCodeFor } from '../../src/commands/claimCodes.js';
import { collectAward } from '../../src/commands/collectAtCounter.js';
import { sendDueReminders } from '../../src/commands/reminders.js';
import { fanOutResults } from '../../src/commands/resultFanout.js';
import { reminderMoment } from '../../src/domain/reminder.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { appIdOf, at, awardsOf, drawnLottery } from './_scenario.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

const admin = { id: '00000000-0000-4000-8000-000000000001', role: 'admin', site_id: null } as const;
const reminders = (campaignId: string) =>
  app.db('messages').where({ campaign_id: campaignId, kind: 'pickup_reminder' });

test('the reminder moment is 10:00 local on the day before, across a date line and a DST change', (t) => {
  t.is(
    reminderMoment(new Date('2026-12-03T12:00:00+09:00'), 'Asia/Seoul').toISOString(),
    new Date('2026-12-02T10:00:00+09:00').toISOString(),
  );
  t.is(
    reminderMoment(new Date('2026-12-03T00:30:00+09:00'), 'Asia/Seoul').toISOString(),
    new Date('2026-12-02T10:00:00+09:00').toISOString(),
  );
  // Europe/Berlin leaves summer time on 2026-10-25: the day before a Monday slot is still 10:00 local.
  t.is(
    reminderMoment(new Date('2026-10-26T09:00:00+01:00'), 'Europe/Berlin').toISOString(),
    new Date('2026-10-25T10:00:00+01:00').toISOString(),
  );
});

test.serial(
  'goods winners are reminded once, the day before their slot, with site, address, time and code',
  async (t) => {
    const { s, env } = await drawnLottery(app);
    await fanOutResults(env, s.campaignId, { batchSize: 7 });
    await fanOutResults(env, s.campaignId, { batchSize: 7 }); // a repeated fan-out schedules nothing twice
    const winners = (await awardsOf(app.db, s.campaignId)).filter((a) => a.outcome === 'won');
    const scheduled = await app.db('award_reminders').where({ campaign_id: s.campaignId });
    t.is(scheduled.length, winners.length);
    for (const r of scheduled)
      t.is(r.remind_at.toISOString(), new Date('2026-12-02T10:00:00+09:00').toISOString());

    // One collects early, one is withdrawn from contact (no message possible).
    await collectAward(env, admin, s.campaignId, winners[0]!.public_id);
    app.clock.set(new Date('2026-12-02T09:59:59+09:00'));
    t.deepEqual(await sendDueReminders(env), { sent: 0, skipped: 0 }, 'nothing before 10:00');

    // Two instances sweep at the same moment.
    app.clock.set(new Date('2026-12-02T10:00:00+09:00'));
    const [a, b] = await Promise.all([sendDueReminders(env, 3), sendDueReminders(env, 3)]);
    t.is(a.sent + b.sent, winners.length - 1);
    t.is(a.skipped + b.skipped, 1);
    app.clock.set(new Date('2026-12-02T11:00:00+09:00'));
    t.deepEqual(await sendDueReminders(env), { sent: 0, skipped: 0 });

    const msgs = await reminders(s.campaignId);
    t.is(msgs.length, winners.length - 1);
    t.is(new Set(msgs.map((m) => m.dedupe_key)).size, msgs.length, 'one per award');
    const done = await app.db('award_reminders').where({ campaign_id: s.campaignId }).whereNotNull('done_at');
    t.is(done.length, winners.length);
    t.is(done.find((r) => r.public_id === winners[0]!.public_id)?.outcome, 'collected');

    // The ko text names the site, its address, the slot's time and the claim code.
    const key = await claimKeyOf(app.db, env, s.campaignId);
    const w = winners.find((x) => x !== winners[0])!;
    const appId = await appIdOf(app.db, s.campaignId, w.public_id);
    const mine = msgs.find((m) => m.dedupe_key === `pickup_reminder:${appId}`)!;
    const site = await app.db('sites').where({ id: w.site }).first();
    const slot = await app.db('campaign_slots').where({ campaign_id: s.campaignId, id: w.slot }).first();
    const when = mine.lang === 'ko' ? site.name_ko : site.name_en;
    t.true(mine.body.includes(when), mine.body);
    t.true(mine.body.includes(site.address), mine.body);
    t.true(
      mine.body.includes(
        slot.starts_at.getTime() === at(60).getTime() ? '2026-12-03 12:00' : '2026-12-03 14:00',
      ),
      mine.body,
    );
    t.true(mine.body.includes(claimCodeFor(key, appId)), mine.body);
  },
);

test.serial('an award expired or past its pickup window gets no reminder', async (t) => {
  const { s, env } = await drawnLottery(app);
  await fanOutResults(env, s.campaignId);
  const winners = (await awardsOf(app.db, s.campaignId)).filter((a) => a.outcome === 'won');
  await app
    .db('awards')
    .where({ campaign_id: s.campaignId, public_id: winners[0]!.public_id })
    .update({ status: 'expired', expired_at: at(20) });
  // The reconciler was down from before 10:00 until the slots ended: reminders would come too late.
  app.clock.set(at(64));
  const r = await sendDueReminders(env);
  t.deepEqual(r, { sent: 0, skipped: winners.length });
  const outcomes = (await app.db('award_reminders').where({ campaign_id: s.campaignId })).map(
    (x) => x.outcome,
  );
  t.is(outcomes.filter((o) => o === 'expired').length, 1);
  t.is(outcomes.filter((o) => o === 'late').length, winners.length - 1);
  t.is((await reminders(s.campaignId)).length, 0);
});

test.serial(
  'voucher winners are reminded the day before their claim deadline, through the reconciler',
  async (t) => {
    const { s, env, reconciler } = await drawnLottery(app, { kind: 'voucher' });
    await fanOutResults(env, s.campaignId);
    const winners = (await awardsOf(app.db, s.campaignId)).filter((a) => a.outcome === 'won');
    t.true(winners.length > 0);
    const deadline = winners[0]!.claim_deadline as Date; // +5 h + 72 h = 2026-12-04 05:00 KST
    t.is(deadline.toISOString(), new Date('2026-12-04T05:00:00+09:00').toISOString());
    app.clock.set(new Date('2026-12-03T10:00:00+09:00'));
    await reconciler.runOnce();
    const msgs = await reminders(s.campaignId);
    t.is(msgs.length, winners.length);
    const ko = msgs.find((m) => m.lang === 'ko');
    t.truthy(ko);
    t.regex(ko.body, /결제 기한: 2026-12-04 05:00/);
    // a voucher is paid for on the winner's page: the price, and no claim code (the counter takes none)
    t.regex(ko.body, /결제할 금액: [\d,]+원\n/);
    t.notRegex(ko.body, /[0-9A-Z]{5}-[0-9A-Z]{5}/);
  },
);

test.serial(
  'a promoted applicant is reminded before their own deadline, the expired winner is not',
  async (t) => {
    // Winners must collect by +62 h: the first slots' winners expire then and pass down; with no slot left ahead
    // at their site the promoted collect any time until +119 h (2026-12-05 23:00 KST), reminded the day before.
    const { s, reconciler } = await drawnLottery(app, { claimPeriodHours: 57, total: 8 });
    app.clock.set(at(62));
    await reconciler.runOnce();
    const promotedAt62 = (
      await app.db('audit_log').where({ subject: `campaign:${s.campaignId}`, action: 'award.promoted' })
    ).map((r) => r.data as { public_id: string; slot: string; deadline: string });
    const slotless = promotedAt62.filter((p) => p.slot === '');
    t.true(slotless.length > 0);
    for (const p of slotless) t.is(p.deadline, at(119).toISOString());
    const rows = await app.db('award_reminders').where({ campaign_id: s.campaignId });
    t.deepEqual(
      rows.map((r) => r.public_id).sort(),
      slotless.map((p) => p.public_id).sort(),
      'a slot that starts within a day of the promotion gets no reminder: the notice just said it',
    );
    for (const r of rows)
      t.is(r.remind_at.toISOString(), new Date('2026-12-04T10:00:00+09:00').toISOString());

    app.clock.set(new Date('2026-12-04T10:00:00+09:00'));
    await reconciler.runOnce();
    const msgs = await reminders(s.campaignId);
    const ids = await Promise.all(slotless.map((p) => appIdOf(app.db, s.campaignId, p.public_id)));
    t.deepEqual(msgs.map((m) => m.dedupe_key).sort(), ids.map((id) => `pickup_reminder:${id}`).sort());
    for (const m of msgs)
      t.regex(m.body, m.lang === 'ko' ? /영업시간 중 언제든/ : /any time the site is open/);
  },
);
