// Over 300 lines: the plain model of docs/draw-v1.md §5 and every case checked against it belong together.
import test from 'ava';
import fc from 'fast-check';
import { allocate } from '../../../src/domain/draw/engine/allocate.js';
import { runDraw } from '../../../src/domain/draw/index.js';
import type { RosterEntry, Rules } from '../../../src/domain/draw/types.js';

/** Section 5 transcribed as plainly as possible, as a model for the optimised allocate(). */
function model(rules: Rules, ranked: RosterEntry[]) {
  let remaining = rules.total;
  const left = new Map<string, number>();
  for (const s of rules.sites) for (const t of s.slots) left.set(`${s.id}/${t.id}`, t.capacity);
  const award = new Map<string, { amount: number; site: string; slot: string; pass: number }>();
  const grant = (e: RosterEntry, cap: number, pass: number): number => {
    let want = Math.min(e.request, rules.per_person_max);
    want = want - (want % rules.denomination);
    const room = Math.min(cap, remaining);
    const amount = want <= room ? want : rules.partial === 'partial' ? room - (room % rules.denomination) : 0;
    if (amount === 0) return 0;
    let site = '';
    let slot = '';
    if (rules.sites.length > 0) {
      const found = e.preferences
        .map((id) => rules.sites.find((s) => s.id === id)!)
        .map((s) => ({ s, t: s.slots.find((t) => left.get(`${s.id}/${t.id}`)! >= amount) }))
        .find((x) => x.t !== undefined);
      if (!found) return 0;
      site = found.s.id;
      slot = found.t!.id;
      left.set(`${site}/${slot}`, left.get(`${site}/${slot}`)! - amount);
    }
    remaining -= amount;
    award.set(e.public_id, { amount, site, slot, pass });
    return amount;
  };
  for (const g of rules.groups) {
    let reservedLeft = g.reserved;
    for (const e of ranked.filter((x) => x.group === g.name && !award.has(x.public_id))) {
      if (reservedLeft === 0) break;
      reservedLeft -= grant(e, reservedLeft, 1);
    }
  }
  for (const e of ranked) if (!award.has(e.public_id)) grant(e, Number.POSITIVE_INFINITY, 2);
  return award;
}

const arbDraw = fc
  .record({
    d: fc.constantFrom(1, 5, 1000),
    total: fc.nat(30),
    ppm: fc.integer({ min: 1, max: 6 }),
    partial: fc.constantFrom('skip' as const, 'partial' as const),
    reserved: fc.array(fc.nat(8), { maxLength: 3 }),
    sites: fc.array(fc.array(fc.nat(6), { maxLength: 3 }), { maxLength: 4 }),
    entries: fc.array(
      fc.record({
        g: fc.nat(3),
        weight: fc.integer({ min: 1, max: 3 }),
        k: fc.integer({ min: 1, max: 5 }),
        prefs: fc.array(fc.nat(3), { maxLength: 4 }),
      }),
      { maxLength: 30 },
    ),
    secret: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  })
  .map(({ d, total, ppm, partial, reserved, sites, entries, secret }) => {
    const groups = reserved.map((r, i) => ({ name: `g${i}`, reserved: r * d }));
    const rules: Rules = {
      unit: d === 1 ? 'item' : 'KRW',
      total: total * d,
      per_person_max: d === 1000 ? ppm * 700 : ppm * d, // 700s: not a multiple of 1000, so want rounds down
      denomination: d,
      partial,
      groups,
      sites: sites.map((caps, s) => ({
        id: `s${s}`,
        slots: caps.map((c, t) => ({ id: `t${t}`, capacity: c * d })),
      })),
    };
    const roster: RosterEntry[] = entries.map((e, i) => ({
      public_id: `p${i}`,
      group: e.g < groups.length ? groups[e.g]!.name : '',
      weight: e.weight,
      request: e.k * d,
      preferences: [...new Set(e.prefs.filter((p) => p < sites.length).map((p) => `s${p}`))],
    }));
    return { rules, roster, secret };
  });

const draw = (x: { rules: Rules; roster: RosterEntry[]; secret: Uint8Array }) =>
  runDraw({
    campaign: { id: 'p', title: 'prop' },
    rules: x.rules,
    roster: x.roster,
    secret: x.secret,
    beacon: 'b',
  });

test('allocate() agrees with a plain transcription of docs/draw-v1.md §5', (t) => {
  fc.assert(
    fc.property(arbDraw, (x) => {
      const b = draw(x);
      const ranked = b.results.map((r) => b.roster.find((e) => e.public_id === r.public_id)!);
      const expected = model(b.rules, ranked);
      const alloc = allocate(
        b.rules,
        ranked,
        ranked.map((_, i) => i),
      );
      return ranked.every((e, i) => {
        const m = expected.get(e.public_id);
        const r = b.results[i]!;
        return (
          (m?.amount ?? 0) === r.amount &&
          (m?.site ?? '') === r.site &&
          (m?.slot ?? '') === r.slot &&
          (m?.pass ?? 0) === alloc.pass[i] &&
          (m?.amount ?? 0) === alloc.amount[i]
        );
      });
    }),
    { numRuns: 400 },
  );
  t.pass();
});

test('deterministic, and independent of the order the roster is given in', (t) => {
  fc.assert(
    fc.property(arbDraw, fc.infiniteStream(fc.nat()), (x, rand) => {
      const shuffled = x.roster.slice();
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = rand.next().value % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      const a = JSON.stringify(draw(x));
      return a === JSON.stringify(draw(x)) && a === JSON.stringify(draw({ ...x, roster: shuffled }));
    }),
    { numRuns: 200 },
  );
  t.pass();
});

test('invariants: limits, capacities, multiples, one result per entry, waitlist numbering', (t) => {
  fc.assert(
    fc.property(arbDraw, (x) => {
      const { rules, roster, results } = draw(x);
      const d = rules.denomination;
      const byId = new Map(roster.map((e) => [e.public_id, e]));
      const want = (e: RosterEntry) =>
        Math.min(e.request, rules.per_person_max) - (Math.min(e.request, rules.per_person_max) % d);
      if (results.length !== roster.length) return false;
      if (new Set(results.map((r) => r.public_id)).size !== roster.length) return false;
      if (!results.every((r, i) => r.rank === i + 1 && byId.has(r.public_id))) return false;
      let sum = 0;
      const used = new Map<string, number>();
      let waitlist = 0;
      for (const r of results) {
        const e = byId.get(r.public_id)!;
        if (r.amount % d !== 0 || r.amount > want(e) || r.amount > rules.per_person_max) return false;
        if (rules.partial === 'skip' && r.outcome === 'won' && r.amount !== want(e)) return false;
        if (r.outcome === 'won') {
          if (r.amount <= 0 || r.waitlist !== 0) return false;
          if (rules.sites.length > 0 && !e.preferences.includes(r.site)) return false;
          if (rules.sites.length === 0 && (r.site !== '' || r.slot !== '')) return false;
          used.set(`${r.site}/${r.slot}`, (used.get(`${r.site}/${r.slot}`) ?? 0) + r.amount);
          sum += r.amount;
        } else if (r.amount !== 0 || r.site !== '' || r.slot !== '' || r.waitlist !== ++waitlist) {
          return false;
        }
      }
      if (sum > rules.total) return false;
      for (const s of rules.sites)
        for (const slot of s.slots) if ((used.get(`${s.id}/${slot.id}`) ?? 0) > slot.capacity) return false;
      // partial mode without sites: nobody who wants something is waitlisted while a denomination is left.
      if (rules.partial === 'partial' && rules.sites.length === 0 && rules.total - sum >= d) {
        if (results.some((r) => r.outcome === 'waitlisted' && want(byId.get(r.public_id)!) > 0)) return false;
      }
      return true;
    }),
    { numRuns: 400 },
  );
  t.pass();
});

test('reserved quotas: pass-1 awards stay within the quota and fill it when supply permits', (t) => {
  fc.assert(
    fc.property(arbDraw, (x) => {
      const b = draw(x);
      const ranked = b.results.map((r) => b.roster.find((e) => e.public_id === r.public_id)!);
      const alloc = allocate(
        b.rules,
        ranked,
        ranked.map((_, i) => i),
      );
      const d = b.rules.denomination;
      const reservedSum = b.rules.groups.reduce((s, g) => s + g.reserved, 0);
      return b.rules.groups.every((g) => {
        let pass1 = 0;
        let wants = 0;
        ranked.forEach((e, i) => {
          if (e.group !== g.name) return;
          if (alloc.pass[i] === 1) pass1 += alloc.amount[i]!;
          wants +=
            Math.min(e.request, b.rules.per_person_max) - (Math.min(e.request, b.rules.per_person_max) % d);
        });
        if (pass1 > g.reserved) return false;
        // Supply permits: no sites to run out of, budget covers all quotas, partial awards allowed.
        if (b.rules.sites.length === 0 && b.rules.partial === 'partial' && b.rules.total >= reservedSum) {
          return pass1 === Math.min(g.reserved, wants);
        }
        return true;
      });
    }),
    { numRuns: 400 },
  );
  t.pass();
});

test('skip vs partial on one hand-made case', (t) => {
  const rules = (partial: 'skip' | 'partial'): Rules => ({
    unit: 'KRW',
    total: 50000,
    per_person_max: 30000,
    denomination: 10000,
    partial,
    groups: [],
    sites: [],
  });
  const roster: RosterEntry[] = [
    { public_id: 'a', group: '', weight: 1, request: 30000, preferences: [] },
    { public_id: 'b', group: '', weight: 1, request: 30000, preferences: [] },
    { public_id: 'c', group: '', weight: 1, request: 10000, preferences: [] },
  ];
  // Rank order fixed by hand: a, b, c. After a (30000), 20000 remain and b wants 30000.
  const skip = allocate(rules('skip'), roster, [0, 1, 2]);
  t.deepEqual(skip.amount, [30000, 0, 10000]);
  const partial = allocate(rules('partial'), roster, [0, 1, 2]);
  t.deepEqual(partial.amount, [30000, 20000, 0]);
});

test('site walk: first preferred site with a fitting slot, its first fitting slot; no split', (t) => {
  const rules: Rules = {
    unit: 'item',
    total: 100,
    per_person_max: 3,
    denomination: 1,
    partial: 'partial',
    groups: [{ name: 'vip', reserved: 2 }],
    sites: [
      {
        id: 'n',
        slots: [
          { id: 'am', capacity: 1 },
          { id: 'pm', capacity: 3 },
        ],
      },
      { id: 's', slots: [{ id: 'am', capacity: 2 }] },
    ],
  };
  const roster: RosterEntry[] = [
    // pass 2: n/am (1) and n/pm (1 after c) are too small -> s/am
    { public_id: 'a', group: '', weight: 1, request: 2, preferences: ['n', 's'] },
    // pass 2: nothing left that holds 2, and an award is never split -> waitlisted
    { public_id: 'b', group: '', weight: 1, request: 2, preferences: ['n', 's'] },
    // pass 1 (before anyone else, though ranked third): cap = reserved 2, partial -> 2; n/am holds 1 -> n/pm
    { public_id: 'c', group: 'vip', weight: 1, request: 3, preferences: ['n'] },
    // pass 2: n/am still has 1
    { public_id: 'd', group: '', weight: 1, request: 1, preferences: ['n'] },
  ];
  const out = allocate(rules, roster, [0, 1, 2, 3]);
  t.deepEqual(out.amount, [2, 0, 2, 1]);
  t.deepEqual([...out.site], [1, -1, 0, 0]);
  t.deepEqual([...out.slot], [0, -1, 1, 0]);
  t.deepEqual([...out.pass], [2, 0, 1, 2]);
});

test('past 254 groups and 65,534 sites (the narrow index arrays) it allocates as the model does', (t) => {
  const rules: Rules = {
    unit: 'item',
    total: 500,
    per_person_max: 2,
    denomination: 1,
    partial: 'partial',
    groups: Array.from({ length: 300 }, (_, k) => ({ name: `g${k}`, reserved: k % 2 })),
    sites: Array.from({ length: 66_000 }, (_, s) => ({
      id: `s${s}`,
      slots: [{ id: 'am', capacity: 1 + (s % 2) }],
    })),
  };
  // Entries in rank order: groups from the last ones, sites beyond index 65,535 first.
  const ranked: RosterEntry[] = Array.from({ length: 700 }, (_, i) => ({
    public_id: `p${i}`,
    group: i % 3 === 0 ? '' : `g${299 - (i % 300)}`,
    weight: 1,
    request: 1 + (i % 2),
    preferences: [`s${65_999 - (i % 400)}`, `s${i % 7}`],
  }));
  const expected = model(rules, ranked);
  const got = allocate(
    rules,
    ranked,
    ranked.map((_, i) => i),
  );
  t.true(
    got.amount.some((a, i) => a > 0 && got.site[i]! > 65_535),
    'some award at a site past 65,535',
  );
  t.true(got.pass.includes(1) && got.pass.includes(2));
  ranked.forEach((e, i) => {
    const m = expected.get(e.public_id);
    t.is(got.amount[i], m?.amount ?? 0, e.public_id);
    t.is(got.pass[i], m?.pass ?? 0);
    t.is(got.site[i] === -1 ? '' : rules.sites[got.site[i]!]!.id, m?.site ?? '');
  });
});
