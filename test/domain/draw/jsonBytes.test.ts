// The byte writers behind leaf hashes and the results hash equal the string encoders, on any strings.
import { createHash } from 'node:crypto';
import test from 'ava';
import fc from 'fast-check';
import { entryJson, resultJson } from '../../../src/domain/draw/engine/encode.js';
import { leafHashes } from '../../../src/domain/draw/engine/merkle.js';
import {
  buildResults,
  eachResult,
  resultsHash,
  resultsHashOf,
} from '../../../src/domain/draw/engine/results.js';
import type { Result, Rules } from '../../../src/domain/draw/types.js';

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

test('resultsHashOf (from the columns) equals resultsHash of buildResults, which equals what ResultWalker yields', (t) => {
  const columns = fc
    .record({
      ids: fc.uniqueArray(text, { maxLength: 30 }),
      sites: fc.array(fc.record({ id: text, slots: fc.array(text, { minLength: 1, maxLength: 3 }) }), {
        maxLength: 4,
      }),
      seed: fc.integer(),
    })
    .map(({ ids, sites, seed }) => {
      let x = seed | 1;
      const next = (m: number) => {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return (x >>> 0) % m;
      };
      const n = ids.length;
      const rules = {
        sites: sites.map((s) => ({ id: s.id, slots: s.slots.map((id) => ({ id, capacity: 1 })) })),
      } as unknown as Rules;
      const roster = ids.map((id) => ({ public_id: id, group: '', weight: 1, request: 1, preferences: [] }));
      const tickets = new Uint8Array(32 * n).map(() => next(256));
      const order = new Uint32Array(n).map((_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = next(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const site = new Int32Array(n).fill(-1);
      const slot = new Int32Array(n).fill(-1);
      const amount = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) {
        if (next(3) === 0) continue;
        amount[i] = next(4) === 0 ? Number.MAX_SAFE_INTEGER - i : 1 + next(20000);
        if (sites.length > 0) {
          site[i] = next(sites.length);
          slot[i] = next(sites[site[i]!]!.slots.length);
        }
      }
      return { rules, roster, tickets, order, alloc: { amount, site, slot, pass: new Uint8Array(n) } };
    });
  fc.assert(
    fc.property(columns, ({ rules, roster, tickets, order, alloc }) => {
      const objects = buildResults(rules, roster, tickets, order, alloc);
      const walked: Result[] = [];
      eachResult(rules, roster, tickets, order, alloc, (r) => walked.push({ ...r }));
      return (
        resultsHashOf(rules, roster, tickets, order, alloc) === resultsHash(objects) &&
        JSON.stringify(objects) === JSON.stringify(walked)
      );
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('resultsHashOf across gather batches and chunks: 3000 results, some long or escaped ids', (t) => {
  const n = 3000;
  const rules = {
    sites: [
      { id: 'S"1', slots: [{ id: 'am', capacity: 1 }] },
      {
        id: 'é',
        slots: [
          { id: 'pm', capacity: 1 },
          { id: 'eve', capacity: 1 },
        ],
      },
    ],
  } as unknown as Rules;
  const roster = Array.from({ length: n }, (_, i) => ({
    public_id: i % 97 === 0 ? `long-${'x'.repeat(i % 300)}-${i}` : i % 89 === 0 ? `q"${i}\\é` : `A${i}`,
    group: '',
    weight: 1,
    request: 1,
    preferences: [],
  }));
  const tickets = new Uint8Array(32 * n).map((_, j) => (j * 2654435761) >>> 24);
  const order = new Uint32Array(n).map((_, k) => (k * 7919) % n);
  const alloc = {
    amount: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : i % 5 === 0 ? 2 ** 40 + i : i % 4)),
    site: new Int32Array(n).map((_, i) => (i % 3 === 0 ? -1 : i % 2)),
    slot: new Int32Array(n).map((_, i) => (i % 3 === 0 ? -1 : i % 2 === 1 ? i % 2 : 0)),
    pass: new Uint8Array(n),
  };
  const objects = buildResults(rules, roster, tickets, order, alloc);
  const want = createHash('sha256')
    .update(`[${objects.map(resultJson).join(',')}]`)
    .digest('hex');
  t.is(resultsHash(objects), want);
  t.is(resultsHashOf(rules, roster, tickets, order, alloc), want);
});
