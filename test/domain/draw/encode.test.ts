import test from 'ava';
import fc from 'fast-check';
import { canonicalJson } from '../../../src/domain/canonical.js';
import { bundleJson, entryJson, resultJson } from '../../../src/domain/draw/engine/encode.js';
import { runDraw } from '../../../src/domain/draw/index.js';

// NFC strings, including quotes, backslashes, control characters, astral and lone surrogates.
const text = fc
  .oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('"', '\\', '\u0000', '\u2028', '\uD800'),
  )
  .map((s) => s.normalize('NFC'));
const int = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

test('entryJson is byte-identical to canonicalJson(strict)', (t) => {
  fc.assert(
    fc.property(
      fc.record({
        public_id: text,
        group: text,
        weight: int,
        request: int,
        preferences: fc.array(text, { maxLength: 4 }),
      }),
      (e) => entryJson(e) === canonicalJson(e, { strict: true }),
    ),
    { numRuns: 1000 },
  );
  t.pass();
});

test('resultJson is byte-identical to canonicalJson(strict)', (t) => {
  fc.assert(
    fc.property(
      fc.record({
        rank: int,
        public_id: text,
        ticket: text,
        outcome: fc.constantFrom('won' as const, 'waitlisted' as const),
        amount: int,
        site: text,
        slot: text,
        waitlist: int,
      }),
      (r) => resultJson(r) === canonicalJson(r, { strict: true }),
    ),
    { numRuns: 1000 },
  );
  t.pass();
});

test('cjson edge cases: key order by UTF-16 units, escapes, -0', (t) => {
  t.is(
    canonicalJson({ b: 1, a: 2, B: 3, é: 4, '\u{1F600}': 5, '\uFF21': 6 }),
    '{"B":3,"a":2,"b":1,"é":4,"😀":5,"Ａ":6}',
  );
  t.is(
    entryJson({ public_id: 'a"\\\n', group: '', weight: 1, request: -0, preferences: [] }),
    '{"group":"","preferences":[],"public_id":"a\\"\\\\\\n","request":0,"weight":1}',
  );
  t.is(canonicalJson({ z: -0, a: [0, -0] }), '{"a":[0,0],"z":0}', '-0 is written 0');
  t.is(canonicalJson({ a: 2n ** 64n }), '{"a":18446744073709551616}', 'a bigint as its digits');
  t.is(canonicalJson({ a: undefined, b: null, c: false }), '{"b":null,"c":false}', 'undefined is left out');
  t.throws(() => canonicalJson({ a: [() => 1] }), {
    instanceOf: TypeError,
    message: /cannot encode function \(at \$\.a\[0\]\)/,
  });
  t.throws(() => canonicalJson({ a: true }, { strict: true }));
  t.throws(() => canonicalJson({ a: 1.5 }, { strict: true }));
});

test('bundleJson is canonicalJson(strict) of the bundle', (t) => {
  const bundle = runDraw({
    campaign: { id: 'c-1', title: 'Masks "week" 1' },
    rules: {
      unit: 'item',
      total: 3,
      per_person_max: 2,
      denomination: 1,
      partial: 'partial',
      groups: [{ name: 'g', reserved: 1 }],
      sites: [{ id: 's', slots: [{ id: 'am', capacity: 2 }] }],
    },
    roster: ['x', 'y', 'z'].map((public_id, i) => ({
      public_id,
      group: i ? '' : 'g',
      weight: 1,
      request: 2,
      preferences: ['s'],
    })),
    secret: new Uint8Array(32),
    beacon: 'b',
  });
  t.is(bundleJson(bundle), canonicalJson(bundle, { strict: true }));
});
