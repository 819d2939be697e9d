// The byte writers behind leaf hashes and the results hash equal the string encoders, on any strings.
import { createHash } from 'node:crypto';
import test from 'ava';
import fc from 'fast-check';
import { entryJson, resultJson } from '../../../src/domain/draw/encode.js';
import { leafHashes } from '../../../src/domain/draw/merkle.js';
import { resultsHash } from '../../../src/domain/draw/results.js';

// Mostly printable ASCII (the byte path), with quotes, backslashes, controls, non-ASCII and long strings.
const text = fc
  .oneof(
    fc.string({ unit: fc.constantFrom('A', '0', '"', '\\', ' ', '~', '\u007f') }),
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.string({ minLength: 3000, maxLength: 40000 }),
    fc.constantFrom('', '"', '\\', '\u0000', '\u2028', '\uD800'),
  )
  .map((s) => s.normalize('NFC'));
const int = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const small = fc.integer({ min: 0, max: 12 });
const entry = fc.record({
  public_id: text,
  group: text,
  weight: fc.oneof(small, int),
  request: fc.oneof(small, int),
  preferences: fc.array(text, { maxLength: 4 }),
});
const result = fc.record({
  rank: fc.oneof(small, int),
  public_id: text,
  ticket: text,
  outcome: fc.constantFrom('won' as const, 'waitlisted' as const),
  amount: fc.oneof(small, int),
  site: text,
  slot: text,
  waitlist: fc.oneof(small, int),
});
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest();

test('leafHashes equals SHA-256(0x00 || utf8(entryJson(e))) for each entry', (t) => {
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 20 }), (es) => {
      const want = Buffer.concat(
        es.map((e) => sha(Buffer.concat([Buffer.of(0), Buffer.from(entryJson(e))]))),
      );
      return Buffer.from(leafHashes(es)).equals(want);
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('resultsHash equals SHA-256 of the whole results cjson, across chunk boundaries', (t) => {
  fc.assert(
    fc.property(fc.array(result, { maxLength: 40 }), (rs) => {
      const want = sha(`[${rs.map(resultJson).join(',')}]`).toString('hex');
      return resultsHash(rs) === want;
    }),
    { numRuns: 300 },
  );
  // Many plain results: several full 64 KiB chunks.
  const many = Array.from({ length: 5000 }, (_, i) => ({
    rank: i + 1,
    public_id: `A${i}`,
    ticket: 'ab'.repeat(32),
    outcome: i % 3 === 0 ? ('waitlisted' as const) : ('won' as const),
    amount: i % 3 === 0 ? 0 : 10000 * i,
    site: i % 3 === 0 ? '' : `S${i % 7}`,
    slot: i % 3 === 0 ? '' : 'am',
    waitlist: i % 3 === 0 ? i : 0,
  }));
  t.is(resultsHash(many), sha(`[${many.map(resultJson).join(',')}]`).toString('hex'));
});
