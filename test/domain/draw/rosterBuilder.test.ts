// RosterBuilder (engine/rosterBuilder.ts), which the service's stored rows are read into: its columns are
// columnsOf's, its checks are validateRoster's (same path, same message), and a draw from it (drawColumns,
// as the service runs it: hash, walker, bundle) is the reference draw, byte for byte.
import test from 'ava';
import fc from 'fast-check';
import { columnsOf } from '../../../src/domain/draw/engine/columns.js';
import { namesOf } from '../../../src/domain/draw/engine/rosterInput.js';
import {
  bundleJson,
  DrawInputError,
  drawColumns,
  type Result,
  RosterBuilder,
  type RosterEntry,
  type Rules,
  referenceDraw,
  validateRoster,
  writeBundleJson,
} from '../../../src/domain/draw/index.js';

const encoder = new TextEncoder();

/** The entries pushed as a reader of stored rows pushes them: bytes at offsets of one buffer, numbers. */
function built(entries: readonly RosterEntry[], rules: Rules) {
  const b = new RosterBuilder(rules);
  for (const e of entries) {
    const id = encoder.encode(e.public_id);
    const group = encoder.encode(e.group);
    const buf = new Uint8Array(3 + id.length + group.length);
    buf.set(id, 3);
    buf.set(group, 3 + id.length);
    b.entry(buf, 3, 3 + id.length, 3 + id.length, buf.length, e.weight, e.request);
    for (const site of e.preferences) {
      const s = encoder.encode(`..${site}`);
      b.preference(s, 2, s.length);
    }
  }
  return b.finish();
}

// code units on both sides of U+D800..U+FFFF, escapes, controls (as columns.test.ts)
const unit = fc.constantFrom('A', 'b', '0', '~', ' ', '"', '\\', '\u0001', 'é', '\uFF21', '\u{1F600}', '가');
const text = fc.array(unit, { maxLength: 8 }).map((cs) => cs.join(''));
const arbEntry = fc.record({
  public_id: fc.array(unit, { minLength: 1, maxLength: 10 }).map((cs) => cs.join('')),
  group: text,
  weight: fc.integer({ min: 1, max: 2 ** 40 }),
  request: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  preferences: fc.uniqueArray(text, { maxLength: 4 }),
});

/** Rules naming every group and site the entries name (and one more of each). */
function rulesFor(entries: readonly RosterEntry[]): Rules {
  const groups = [...new Set(['other', ...entries.map((e) => e.group).filter((g) => g !== '')])];
  const sites = [...new Set(['spare', ...entries.flatMap((e) => e.preferences)])];
  return {
    unit: 'item',
    total: 10,
    per_person_max: 2,
    denomination: 1,
    partial: 'partial',
    groups: groups.map((name) => ({ name, reserved: 1 })),
    sites: sites.map((id) => ({ id, slots: [{ id: 'am', capacity: 2 }] })),
  };
}

test('the builder gives columnsOf the entries, numbered by the rules, and them in the order pushed', (t) => {
  fc.assert(
    fc.property(fc.array(arbEntry, { maxLength: 40 }), (entries) => {
      const rules = rulesFor(entries);
      const file = built(entries, rules);
      t.is(file.rules, rules);
      t.deepEqual(file.columns, columnsOf(entries, namesOf(rules)));
      t.deepEqual(file.entries, entries);
      return true;
    }),
    { numRuns: 300 },
  );
});

const rules: Rules = {
  unit: 'item',
  total: 30,
  per_person_max: 3,
  denomination: 2,
  partial: 'partial',
  groups: [
    { name: 'senior', reserved: 4 },
    { name: '노인', reserved: 2 },
  ],
  sites: ['north', 'south', 'S-3', '종로'].map((id) => ({
    id,
    slots: [
      { id: 'am', capacity: 4 },
      { id: 'pm', capacity: 3 },
    ],
  })),
};

test("a draw from the builder's RosterFile (drawColumns, as the service runs it) is the reference draw", (t) => {
  const entry = fc.record({
    public_id: fc.string({ unit: fc.constantFrom('A', 'b', '0', '-', '"', 'é'), minLength: 1, maxLength: 9 }),
    group: fc.constantFrom('', 'senior', '노인'),
    weight: fc.integer({ min: 1, max: 3 }),
    request: fc.constantFrom(2, 4, 6),
    preferences: fc.uniqueArray(fc.constantFrom('north', 'south', 'S-3', '종로'), { maxLength: 3 }),
  });
  fc.assert(
    fc.property(
      fc.uniqueArray(entry, { selector: (e) => e.public_id, maxLength: 50 }),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      (roster: RosterEntry[], secret) => {
        const input = { campaign: { id: 'c', title: 't' }, rules, secret, beacon: 'b' };
        const want = referenceDraw({ ...input, roster });
        const drawn = drawColumns({ ...input, roster: built(roster, rules) }); // in any order: it sorts
        const walked: Result[] = [];
        const walker = drawn.walker();
        while (!walker.done) walker.next(7, (r) => walked.push({ ...r }));
        // as the awards COPY walks them: ids as bytes from the columns, no string made
        const byBytes: Result[] = [];
        const bytesWalker = drawn.walker();
        bytesWalker.idsAsBytes = true;
        const decoder = new TextDecoder();
        while (!bytesWalker.done) {
          bytesWalker.next(5, (r) => {
            t.is(r.public_id, '');
            byBytes.push({ ...r, public_id: decoder.decode(bytesWalker.idBytes()) });
          });
        }
        t.deepEqual(byBytes, want.results);
        const parts: Buffer[] = [];
        writeBundleJson(drawn, (chunk) => parts.push(Buffer.from(chunk)));
        t.is(drawn.bundleFields.results_hash, want.results_hash);
        t.deepEqual(walked, want.results);
        t.is(Buffer.concat(parts).toString('utf8'), bundleJson(want));
        return true;
      },
    ),
    { numRuns: 200 },
  );
});

test('the builder refuses what validateRoster refuses, at the same path with the same message', (t) => {
  const ok: RosterEntry = { public_id: 'A1', group: 'senior', weight: 1, request: 2, preferences: ['north'] };
  const bad: RosterEntry[] = [
    { ...ok, public_id: '' },
    { ...ok, group: 'junior' },
    { ...ok, weight: 0 },
    { ...ok, request: 0 },
    { ...ok, request: 3 },
    { ...ok, request: 2 ** 60 },
    { ...ok, preferences: ['north', 'west'] },
    { ...ok, preferences: ['south', '종로', 'south'] },
  ];
  for (const e of bad) {
    const roster = [ok, e];
    const want = t.throws(() => validateRoster(roster, rules, { path: '$.roster', unique: false }), {
      instanceOf: DrawInputError,
    });
    t.throws(
      () => built(roster, rules),
      { instanceOf: DrawInputError, message: want?.message },
      JSON.stringify(e),
    );
  }
});

test('names and ids not in NFC are read as validateRoster reads them, normalised', (t) => {
  // 노인 and 종로 decomposed into jamo; é as e + combining acute
  const roster: RosterEntry[] = [
    {
      public_id: 'ce\u0301',
      group: '노인'.normalize('NFD'),
      weight: 1,
      request: 2,
      preferences: ['종로'.normalize('NFD')],
    },
  ];
  const file = built(roster, rules);
  t.deepEqual(file.entries, validateRoster(roster, rules));
  t.deepEqual(file.entries[0]!.public_id, 'c\u00e9');
});

test('a duplicate public id is found by the draw, as for any roster given in columns', (t) => {
  const e: RosterEntry = { public_id: 'A1', group: '', weight: 1, request: 2, preferences: [] };
  const input = { campaign: { id: 'c', title: 't' }, rules, secret: new Uint8Array(32), beacon: 'b' };
  t.throws(() => drawColumns({ ...input, roster: built([e, { ...e }], rules) }), {
    instanceOf: DrawInputError,
    message: /duplicate public id "A1"/,
  });
});
