// sortRoster's prefix-key sort gives exactly the utf8(public_id) byte order, whatever the ids look like.
import test from 'ava';
import fc from 'fast-check';
import {
  compareUtf8,
  type RosterEntry,
  type Rules,
  runDraw,
  sortRoster,
} from '../../../src/domain/draw/index.js';

const entry = (public_id: string): RosterEntry => ({
  public_id,
  group: '',
  weight: 1,
  request: 1,
  preferences: [],
});

// Shared prefixes, short and long ids, NUL, units above 255, surrogate pairs and U+E000..U+FFFF.
const unit = fc.constantFrom(
  'A',
  'B',
  '0',
  '9',
  '\u0000',
  '\u00ff',
  '\u0100',
  '\u4e00',
  '\uE000',
  '\uFFFF',
  '😀',
);
const id = fc.oneof(
  fc.string({ unit, minLength: 1, maxLength: 12 }).map((s) => `campaign-7/${s}`),
  fc.string({ unit, minLength: 1, maxLength: 12 }),
  fc.string({ minLength: 1 }),
);

test('sortRoster orders by utf8(public_id), as a plain byte comparison does', (t) => {
  fc.assert(
    fc.property(fc.uniqueArray(id, { maxLength: 60 }), (ids) => {
      const got = sortRoster(ids.map(entry)).map((e) => e.public_id);
      return JSON.stringify(got) === JSON.stringify([...ids].sort(compareUtf8));
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

const noSites: Rules = {
  unit: 'item',
  total: 3,
  per_person_max: 1,
  denomination: 1,
  partial: 'skip',
  groups: [],
  sites: [],
};

test('runDraw sorts as sortRoster does, the ids checked in validation, ASCII or not', (t) => {
  const rules = noSites;
  const secret = new Uint8Array(32).fill(7);
  fc.assert(
    fc.property(fc.uniqueArray(id, { maxLength: 30 }), (ids) => {
      const roster = ids.map((s) => s.normalize('NFC')).map(entry);
      if (new Set(roster.map((e) => e.public_id)).size !== roster.length) return true;
      const drawn = runDraw({ campaign: { id: 'c', title: 'c' }, rules, roster, secret, beacon: 'b' });
      const want = sortRoster(roster).map((e) => e.public_id);
      return JSON.stringify(drawn.roster.map((e) => e.public_id)) === JSON.stringify(want);
    }),
    { numRuns: 300 },
  );
  const dup = Array.from({ length: 50 }, (_, i) => entry(`A${String(49 - i).padStart(3, '0')}`));
  dup.splice(7, 0, entry('A020'));
  t.throws(() => runDraw({ campaign: { id: 'c', title: 'c' }, rules, roster: dup, secret, beacon: 'b' }), {
    message: /duplicate public id "A020"/,
  });
});

test('sortRoster finds a duplicate however the roster is shuffled', (t) => {
  const ids = Array.from({ length: 500 }, (_, i) => `A${String(i).padStart(7, '0')}`);
  ids.push('A0000250');
  ids.reverse();
  t.throws(() => sortRoster(ids.map(entry)), { message: /duplicate public id "A0000250"/ });
});
