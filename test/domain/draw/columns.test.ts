// The roster's columns (engine/columns.ts), which every pass of the fast engine reads: the id sort is the
// utf8 byte order, an entry written from the columns is entryJson's bytes, and a draw from a roster file
// read into columns (npm run draw) is the reference draw's bundle byte for byte.
import test from 'ava';
import fc from 'fast-check';
import { EntryWriter } from '../../../src/domain/draw/engine/columnJson.js';
import { columnsOf, entriesOf, idOrder, reordered } from '../../../src/domain/draw/engine/columns.js';
import {
  bundleJson,
  compareUtf8,
  drawBundleJson,
  entryJson,
  type RosterEntry,
  type Rules,
  readRosterFile,
  referenceDraw,
} from '../../../src/domain/draw/index.js';

// code units on both sides of U+D800..U+FFFF (where UTF-16 and UTF-8 orders disagree), escapes, controls
const unit = fc.constantFrom(
  'A',
  'b',
  '0',
  '~',
  ' ',
  '"',
  '\\',
  '\u0001',
  'é',
  '\uFF21',
  '\u{1F600}',
  '\uE000',
  '가',
);
const text = fc.array(unit, { maxLength: 12 }).map((cs) => cs.join(''));
const arbEntry = fc.record({
  public_id: fc.array(unit, { minLength: 1, maxLength: 12 }).map((cs) => cs.join('')),
  group: text,
  weight: fc.integer({ min: 1, max: 2 ** 40 }),
  request: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  preferences: fc.uniqueArray(text, { maxLength: 4 }),
});

test('idOrder sorts the columns by utf8(public_id), as a plain byte comparison does', (t) => {
  fc.assert(
    fc.property(fc.array(arbEntry, { maxLength: 60 }), (entries) => {
      const c = columnsOf(entries);
      const got = Array.from(idOrder(c), (i) => entries[i]!.public_id);
      const want = entries.map((e) => e.public_id).sort(compareUtf8);
      return JSON.stringify(got) === JSON.stringify(want);
    }),
    { numRuns: 300 },
  );
  // many ids sharing a long prefix, differing past the 8 bytes of the key
  const ids = Array.from({ length: 500 }, (_, i) => `P${'x'.repeat(12)}${(i * 7919) % 500}`);
  const c = columnsOf(
    ids.map((public_id) => ({ public_id, group: '', weight: 1, request: 1, preferences: [] })),
  );
  t.deepEqual(
    Array.from(idOrder(c), (i) => ids[i]),
    [...ids].sort(compareUtf8),
  );
});

test('an entry written from the columns is utf8(entryJson), and the columns give the entries back', (t) => {
  fc.assert(
    fc.property(fc.array(arbEntry, { maxLength: 30 }), fc.nat(), (entries, seed) => {
      const names = { groups: ['', 'g'], sites: ['s1'] };
      const c = columnsOf(entries, seed % 2 ? names : undefined);
      const writer = new EntryWriter(c);
      const decoder = new TextDecoder();
      entries.forEach((e, i) => {
        const buf = new Uint8Array(writer.room(i));
        t.is(decoder.decode(buf.subarray(0, writer.put(buf, 0, i))), entryJson(e));
      });
      const order = Uint32Array.from(entries.keys()).reverse();
      t.deepEqual(entriesOf(reordered(c, order)), [...entries].reverse());
      return true;
    }),
    { numRuns: 200 },
  );
});

const rules: Rules = {
  unit: 'item',
  total: 30,
  per_person_max: 3,
  denomination: 1,
  partial: 'partial',
  groups: [{ name: 'senior', reserved: 4 }],
  sites: ['north', 'south', 'S-3'].map((id) => ({
    id,
    slots: [
      { id: 'am', capacity: 4 },
      { id: 'pm', capacity: 3 },
    ],
  })),
};

test('a draw from a roster file read into columns is the reference draw, byte for byte', (t) => {
  const plainEntry = fc.record({
    public_id: fc.string({ unit: fc.constantFrom('A', 'b', '0', '-', ' ', '~'), minLength: 1, maxLength: 9 }),
    group: fc.constantFrom('', 'senior'),
    weight: fc.integer({ min: 1, max: 3 }),
    request: fc.integer({ min: 1, max: 4 }),
    preferences: fc.uniqueArray(fc.constantFrom('north', 'south', 'S-3'), { maxLength: 3 }),
  });
  fc.assert(
    fc.property(
      fc.uniqueArray(plainEntry, { selector: (e) => e.public_id, maxLength: 50 }),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      (roster: RosterEntry[], secret) => {
        const file = readRosterFile(new TextEncoder().encode(JSON.stringify(roster)), rules);
        if (!file) return false;
        const parts: Buffer[] = [];
        const input = { campaign: { id: 'c', title: 't' }, rules, secret, beacon: 'b' };
        drawBundleJson(
          { ...input, roster: file },
          () => {},
          (chunk) => parts.push(Buffer.from(chunk)),
        );
        return Buffer.concat(parts).toString('utf8') === bundleJson(referenceDraw({ ...input, roster }));
      },
    ),
    { numRuns: 200 },
  );
  t.pass();
});
