// The pass-down rule (src/domain/passDown.ts) as properties over arbitrary campaigns, waitlists and slots, and
// the few cases worth spelling out.
import test from 'ava';
import fc from 'fast-check';
import { claimDeadline } from '../../src/domain/campaign.js';
import {
  type FreedAward,
  namedSite,
  type PassDownRules,
  PROMOTION_LEAD_MS,
  passDown,
  type SlotRoom,
} from '../../src/domain/passDown.js';

const HOUR = 3600_000;
const T0 = Date.UTC(2026, 11, 1);
const SITES = ['A', 'B', 'C'];

interface Candidate {
  public_id: string;
  rank: number;
  request: number;
  preferences: string[];
}

const rulesArb = fc
  .record({
    policy: fc.constantFrom<PassDownRules['unclaimed_policy']>('pass_down', 'pass_down', 'return'),
    denomination: fc.constantFrom(1, 1000, 5000),
    maxUnits: fc.integer({ min: 0, max: 12 }),
    closesHours: fc.integer({ min: 1, max: 200 }),
    period: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  })
  .map(
    (r): PassDownRules => ({
      unclaimed_policy: r.policy,
      denomination: r.denomination,
      // now and then a limit off the denomination grid, as an edited campaign may have
      per_person_max: r.maxUnits * r.denomination + (r.maxUnits % 5 === 4 ? 1 : 0),
      claim_opens_at: new Date(T0),
      claim_closes_at: new Date(T0 + r.closesHours * HOUR),
      claim_period_hours: r.period,
    }),
  );

const candidatesArb = fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 12 }).chain((ranks) =>
  fc.tuple(
    ...ranks.map((rank) =>
      fc.record({
        public_id: fc.constant(`P${rank}`),
        rank: fc.constant(rank),
        units: fc.integer({ min: 1, max: 12 }),
        preferences: fc.shuffledSubarray(SITES),
      }),
    ),
  ),
);

const roomsArb = fc
  .array(
    fc.record({
      site_id: fc.constantFrom(...SITES),
      startHour: fc.integer({ min: -20, max: 220 }),
      hours: fc.integer({ min: 1, max: 4 }),
      units: fc.integer({ min: 0, max: 15 }),
    }),
    { maxLength: 10 },
  )
  .map((xs) =>
    xs
      .map((x, i) => ({ ...x, id: `S${i}` }))
      // the repository's order: by site, then time, then id
      .sort(
        (a, b) => a.site_id.localeCompare(b.site_id) || a.startHour - b.startHour || a.id.localeCompare(b.id),
      ),
  );

const caseArb = fc
  .record({
    rules: rulesArb,
    site: fc.constantFrom('', ...SITES),
    freedUnits: fc.integer({ min: 0, max: 15 }),
    candidates: candidatesArb,
    rooms: roomsArb,
    nowHours: fc.integer({ min: -10, max: 220 }),
  })
  .map(({ rules, site, freedUnits, candidates, rooms, nowHours }) => {
    const d = rules.denomination;
    return {
      rules,
      freed: { site, amount: freedUnits * d } as FreedAward,
      candidates: candidates.map(
        ({ units, ...c }): Candidate => ({ ...c, request: units * d, preferences: [...c.preferences] }),
      ),
      rooms: (site ? rooms : []).map(
        (r): SlotRoom => ({
          id: r.id,
          site_id: r.site_id,
          starts_at: new Date(T0 + r.startHour * HOUR),
          ends_at: new Date(T0 + (r.startHour + r.hours) * HOUR),
          room: r.units * d,
        }),
      ),
      now: new Date(T0 + nowHours * HOUR + (nowHours % 3) * 60_000),
    };
  });

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;
const run = (k: Case) => passDown(k.rules, k.freed, k.candidates, k.rooms, k.now);
const eligible = (k: Case) => k.candidates.filter((c) => namedSite(c, k.freed.site));
const best = (k: Case) => eligible(k).sort((a, b) => a.rank - b.rank)[0];
const slotAhead = (k: Case, amount: number) => (s: SlotRoom) =>
  s.site_id === k.freed.site &&
  s.room >= amount &&
  s.ends_at.getTime() >= k.now.getTime() + PROMOTION_LEAD_MS;
const prop = (name: string, check: (k: Case) => boolean | undefined) =>
  test(name, (t) => {
    fc.assert(
      fc.property(caseArb, (k) => check(k) !== false),
      { numRuns: 1000 },
    );
    t.pass();
  });

prop('nothing passes down under the policy return, or once the claim window has closed', (k) => {
  if (k.rules.unclaimed_policy === 'pass_down' && k.now < k.rules.claim_closes_at) return;
  return run(k) === undefined;
});

prop('never promotes someone who did not name the site (anyone, without sites)', (k) => {
  const p = run(k);
  return !p || (k.freed.site === '' ? k.candidates.includes(p.to) : p.to.preferences.includes(k.freed.site));
});

prop('always the best-ranked eligible applicant, whatever order the waitlist comes in', (k) => {
  const p = run(k);
  const reversed = passDown(k.rules, k.freed, [...k.candidates].reverse(), k.rooms, k.now);
  return !p || (p.to === best(k) && reversed?.to === p.to);
});

prop('never more than was freed, asked for or allowed, and in whole denominations', (k) => {
  const p = run(k);
  if (!p) return;
  const { denomination: d, per_person_max: max } = k.rules;
  return (
    p.amount > 0 &&
    p.amount <= k.freed.amount &&
    p.amount <= p.to.request &&
    p.amount <= max &&
    p.amount % d === 0 &&
    p.amount === Math.min(k.freed.amount, Math.min(p.to.request, max) - (Math.min(p.to.request, max) % d))
  );
});

prop('the award is not offered further down: when the best-ranked gets nothing, nobody does', (k) => {
  const open = k.rules.unclaimed_policy === 'pass_down' && k.now < k.rules.claim_closes_at;
  const b = best(k);
  if (!open || !b) return run(k) === undefined;
  const want = Math.min(b.request, k.rules.per_person_max);
  const gets = Math.min(k.freed.amount, want - (want % k.rules.denomination));
  return gets > 0 ? run(k)?.to === b : run(k) === undefined;
});

prop('stays at the freed site, in its first slot still ahead with room, or any time there', (k) => {
  const p = run(k);
  if (!p) return;
  if (p.site !== k.freed.site) return false;
  const fits = k.rooms.filter(slotAhead(k, p.amount));
  if (k.freed.site === '' || fits.length === 0) return p.slot === '' && p.rule === 'any_time_until_deadline';
  const slot = k.rooms.find((s) => s.id === p.slot);
  return (
    p.rule === 'earliest_slot_ahead' &&
    slot !== undefined &&
    fits.includes(slot) &&
    fits.every((s) => s.starts_at.getTime() >= slot.starts_at.getTime())
  );
});

prop('the deadline is after the promotion, within the claim window, and not before the slot ends', (k) => {
  const p = run(k);
  if (!p) return;
  const d = p.deadline.getTime();
  const closes = k.rules.claim_closes_at.getTime();
  const slot = k.rooms.find((s) => s.id === p.slot);
  return (
    d > k.now.getTime() &&
    d <= closes &&
    d >= claimDeadline(k.rules, k.now).getTime() &&
    (!slot || d >= Math.min(slot.ends_at.getTime(), closes))
  );
});

prop('pure: the inputs are left as they were and the same inputs give the same promotion', (k) => {
  const before = structuredClone({ freed: k.freed, candidates: k.candidates, rooms: k.rooms });
  const p = run(k);
  const again = run(k);
  const after = { freed: k.freed, candidates: k.candidates, rooms: k.rooms };
  return JSON.stringify(after) === JSON.stringify(before) && JSON.stringify(p) === JSON.stringify(again);
});

const voucher: PassDownRules = {
  unclaimed_policy: 'pass_down',
  denomination: 10_000,
  per_person_max: 100_000,
  claim_opens_at: new Date(T0),
  claim_closes_at: new Date(T0 + 100 * HOUR),
  claim_period_hours: 72,
};
const waiting = (rank: number, request: number, preferences: string[] = []): Candidate => ({
  public_id: `P${rank}`,
  rank,
  request,
  preferences,
});

test('a voucher passes to the first waiting, capped at the limit, until the claim period ends', (t) => {
  const now = new Date(T0 + 50 * HOUR);
  const p = passDown(
    voucher,
    { site: '', amount: 250_000 },
    [waiting(9, 50_000), waiting(4, 300_000)],
    [],
    now,
  );
  t.like(p, { amount: 100_000, slot: '', rule: 'any_time_until_deadline' });
  t.is(p?.to.rank, 4);
  // 72 hours from the promotion would pass the window's end: the window's end
  t.is(p?.deadline.getTime(), T0 + 100 * HOUR);
});

test('goods move to the site’s first slot ahead with room; the deadline waits for its end', (t) => {
  const goods = { ...voucher, denomination: 1, per_person_max: 5, claim_period_hours: 1 };
  const now = new Date(T0 + 10 * HOUR);
  const slot = (id: string, site: string, start: number, room: number): SlotRoom => ({
    id,
    site_id: site,
    starts_at: new Date(T0 + start * HOUR),
    ends_at: new Date(T0 + (start + 2) * HOUR),
    room,
  });
  const rooms = [
    slot('gone', 'A', 9, 9), // ends at +11 h, less than two hours ahead
    slot('full', 'A', 12, 1),
    slot('other', 'B', 12, 9),
    slot('later', 'A', 20, 9),
    slot('soon', 'A', 14, 3),
  ];
  const list = [waiting(2, 3, ['B']), waiting(5, 4, ['B', 'A'])];
  const p = passDown(goods, { site: 'A', amount: 3 }, list, rooms, now);
  t.like(p, { amount: 3, site: 'A', slot: 'soon', rule: 'earliest_slot_ahead' });
  t.is(p?.to.rank, 5, 'rank 2 did not name A');
  t.is(p?.deadline.getTime(), T0 + 16 * HOUR);
});

test('a first candidate whose capped request rounds to nothing stops the pass-down there', (t) => {
  const low = { ...voucher, per_person_max: 5_000 };
  const now = new Date(T0 + HOUR);
  t.is(
    passDown(low, { site: '', amount: 50_000 }, [waiting(1, 50_000), waiting(2, 50_000)], [], now),
    undefined,
  );
});
