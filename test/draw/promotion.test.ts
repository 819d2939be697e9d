// A promoted goods award gets a pickup slot that is still ahead (the site's first in time order with room),
// or, when none is, the site any time until its deadline, said plainly in the notice and the audit entry.
import test from 'ava';
import { PROMOTION_LEAD_MS } from '../../src/domain/passDown.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { at, awardsOf, drawnLottery } from './_scenario.js';

interface Promotion {
  public_id: string;
  site: string;
  slot: string;
  slot_rule: 'earliest_slot_ahead' | 'any_time_until_deadline';
  freed_slot: string;
  deadline: string;
}

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

test.serial('promotions never keep a slot that has passed, and never overfill one', async (t) => {
  // Winners must collect by +62 h: then the first slots (+60..+62 h) have just ended, the second ones
  // (+62..+64 h) are still ahead. 8 of the 12 places are drawn, so the second slots keep some room.
  const { s, reconciler } = await drawnLottery(app, { claimPeriodHours: 57, total: 8 });
  t.is((await app.db('campaigns').where({ id: s.campaignId }).first()).state, 'drawn');
  const slots = new Map(
    (await app.db('campaign_slots').where({ campaign_id: s.campaignId })).map((r) => [r.id, r]),
  );
  const drawn = await awardsOf(app.db, s.campaignId);
  const winners = drawn.filter((a) => a.outcome === 'won');
  t.true(winners.some((a) => a.slot.endsWith('-S1')) && winners.some((a) => a.slot.endsWith('-S2')));
  t.true(drawn.some((a) => a.outcome === 'waitlisted'));

  const promotions = async () =>
    (
      await app
        .db('audit_log')
        .where({ subject: `campaign:${s.campaignId}`, action: 'award.promoted' })
        .orderBy('seq')
    ).map((r) => r.data as Promotion);
  const checkCapacity = async () => {
    const used = new Map<string, number>();
    for (const a of await awardsOf(app.db, s.campaignId)) {
      if (!['won', 'promoted', 'collected'].includes(a.status)) continue;
      const slot = a.promoted_from_rank === null ? a.slot : a.held_slot;
      const amount = Number(a.promoted_from_rank === null ? a.amount : a.held_amount);
      if (slot) used.set(slot, (used.get(slot) ?? 0) + amount);
    }
    for (const [id, n] of used) t.true(n <= slots.get(id)!.capacity, `slot ${id} holds ${n}`);
  };

  app.clock.set(at(62));
  await reconciler.runOnce();
  const first = await promotions();
  t.true(first.length > 0);
  for (const p of first) {
    const freed = slots.get(p.freed_slot)!;
    // a freed slot still ahead has room again, so such a promotion always gets a slot
    if (freed.ends_at.getTime() >= at(62).getTime() + PROMOTION_LEAD_MS)
      t.is(p.slot_rule, 'earliest_slot_ahead');
    if (p.slot_rule === 'earliest_slot_ahead') {
      const slot = slots.get(p.slot)!;
      t.is(slot.site_id, p.site);
      t.true(slot.ends_at.getTime() >= at(62).getTime() + PROMOTION_LEAD_MS, `${p.slot} is still ahead`);
      t.true(new Date(p.deadline).getTime() >= slot.ends_at.getTime());
    } else {
      t.is(p.slot_rule, 'any_time_until_deadline');
      t.is(p.slot, '');
    }
  }
  const moved = first.filter((p) => p.slot_rule === 'earliest_slot_ahead');
  t.true(moved.length > 0, 'some promotions got a slot still ahead');
  t.true(
    first.some((p) => p.freed_slot.endsWith('-S1') && p.slot_rule === 'earliest_slot_ahead'),
    'an award freed from a slot that has ended moved to a later slot at the same site',
  );
  await checkCapacity();
  const byPid = new Map((await awardsOf(app.db, s.campaignId)).map((a) => [a.public_id, a]));
  for (const p of first) t.is(byPid.get(p.public_id)!.held_slot, p.slot);

  // The promotion notice names that later slot's time.
  const p0 = moved[0]!;
  const slot0 = slots.get(p0.slot)!;
  const note = await app
    .db('messages')
    .where({ campaign_id: s.campaignId, kind: 'promoted' })
    .whereLike('dedupe_key', 'promoted:%')
    .whereILike('body', `%${p0.site}%`);
  t.true(note.length > 0);
  const hhmm = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Seoul',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(slot0.starts_at);
  t.true(
    note.some((m) => m.body.includes(hhmm)),
    `a notice for ${p0.site} shows ${hhmm}`,
  );

  // Later every slot has passed: the next promotions get the site any time until their deadline, and say so.
  const deadlines = [...byPid.values()].filter((a) => a.status === 'promoted').map((a) => a.claim_deadline);
  const latest = new Date(Math.max(...deadlines.map((d) => d.getTime())));
  app.clock.set(latest);
  await reconciler.runOnce();
  const second = (await promotions()).slice(first.length);
  t.true(second.length > 0);
  for (const p of second) {
    t.is(p.slot_rule, 'any_time_until_deadline');
    t.is(p.slot, '');
  }
  const anyTime = await app
    .db('messages')
    .where({ campaign_id: s.campaignId, kind: 'promoted' })
    .whereIn(
      'dedupe_key',
      await Promise.all(
        second.map(
          async (p) =>
            `promoted:${(await app.db('roster_entries').where({ campaign_id: s.campaignId, public_id: p.public_id }).first()).application_id}`,
        ),
      ),
    );
  t.is(anyTime.length, second.length);
  for (const m of anyTime) {
    t.regex(m.body, m.lang === 'ko' ? /수령처 영업시간 중 언제든/ : /any time the site is open/);
  }
  await checkCapacity();
});

test.serial('no goods award expires before its pickup slot has ended', async (t) => {
  // One hour to collect from the claim opening (+5 h), but the slots are at +60 h and +62 h.
  const { s, reconciler } = await drawnLottery(app, { claimPeriodHours: 1 });
  const winners = (await awardsOf(app.db, s.campaignId)).filter((a) => a.outcome === 'won');
  app.clock.set(at(6));
  await reconciler.runOnce();
  const after = await awardsOf(app.db, s.campaignId);
  t.deepEqual(
    after.filter((a) => a.status === 'expired'),
    [],
  );
  for (const w of winners) {
    const a = after.find((x) => x.public_id === w.public_id)!;
    t.is(a.claim_deadline.toISOString(), (w.slot.endsWith('-S1') ? at(62) : at(64)).toISOString());
  }
  const extended = await app
    .db('audit_log')
    .where({ subject: `campaign:${s.campaignId}`, action: 'award.deadline_extended' });
  t.is(extended.length, winners.length);
  app.clock.set(at(62));
  await reconciler.runOnce();
  const expired = (await awardsOf(app.db, s.campaignId)).filter((a) => a.status === 'expired');
  t.deepEqual(
    expired.map((a) => a.public_id).sort(),
    winners
      .filter((w) => w.slot.endsWith('-S1'))
      .map((w) => w.public_id)
      .sort(),
  );
});
