// The bundle stream writes results and roster entries straight from COPY text; every item must be the bytes
// resultJson / entryJson give, whatever the strings hold (escapes, quotes, Korean, a row split across pieces).
import test from 'ava';
import fc from 'fast-check';
import { ENTRY_SHAPE, jsonItems, RESULT_SHAPE } from '../../src/commands/streamBundle.js';
import { entryJson, type Result, type RosterEntry, resultJson } from '../../src/domain/draw/index.js';

// What PostgreSQL text can hold: no NUL, no lone surrogate.
const text = fc
  .oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('"', '\\', '\t', '\n', '\r', '\u2028', '가', 'e\u0301'),
  )
  .filter((s) => !s.includes('\u0000') && Buffer.from(s).toString() === s);
const siteId = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
const int = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

/** COPY text format, as PostgreSQL writes it. */
const field = (v: string | number) =>
  String(v).replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
const copyText = (rows: Array<Array<string | number>>) =>
  Buffer.from(rows.map((r) => `${r.map(field).join('\t')}\n`).join(''));

/** The stream's output for the COPY text, cut into pieces at the given row boundaries. */
async function streamed(buf: Buffer, cuts: number[], shape: typeof RESULT_SHAPE): Promise<string> {
  const lines: number[] = [0];
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) lines.push(i + 1);
  const at = [...new Set(cuts.map((c) => lines[c % lines.length]!))].sort((a, b) => a - b);
  async function* pieces() {
    let from = 0;
    for (const to of [...at, buf.length]) {
      if (to > from) yield buf.subarray(from, to);
      from = Math.max(from, to);
    }
  }
  const out: Buffer[] = [];
  for await (const b of jsonItems(pieces(), shape)) out.push(b);
  return Buffer.concat(out).toString('utf8');
}

// The property returns whether the bytes agree, so a failure reaches fast-check (shrunk, with its seed) and
// fails the test through t.notThrowsAsync; a t.is inside the property would be recorded by ava alone.
test('results written from COPY text equal resultJson, item by item', async (t) => {
  await t.notThrowsAsync(
    fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            rank: int,
            public_id: fc.oneof(text, fc.stringMatching(/^A[0-9A-Z]{9}$/)),
            ticket: fc.oneof(text, fc.stringMatching(/^[0-9a-f]{64}$/)),
            outcome: fc.constantFrom<Result['outcome']>('won', 'waitlisted'),
            amount: int,
            site: fc.oneof(text, siteId),
            slot: text,
            waitlist: int,
          }),
          { maxLength: 20 },
        ),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (results, cuts) => {
          const buf = copyText(
            results.map((r) => [
              r.amount,
              r.outcome,
              r.public_id,
              r.rank,
              r.site,
              r.slot,
              r.ticket,
              r.waitlist,
            ]),
          );
          return (await streamed(buf, cuts, RESULT_SHAPE)) === results.map(resultJson).join(',');
        },
      ),
    ),
  );
});

test('roster entries written from COPY text equal entryJson, item by item', async (t) => {
  await t.notThrowsAsync(
    fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            public_id: fc.oneof(text, fc.stringMatching(/^A[0-9A-Z]{9}$/)),
            group: fc.oneof(text, fc.constantFrom('', 'senior', '경로우대')),
            weight: int,
            request: int,
            preferences: fc.array(siteId, { maxLength: 4 }),
          }),
          { maxLength: 20 },
        ),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (entries: RosterEntry[], cuts) => {
          const buf = copyText(
            entries.map((e) => [e.group, e.preferences.join(','), e.public_id, e.request, e.weight]),
          );
          return (await streamed(buf, cuts, ENTRY_SHAPE)) === entries.map(entryJson).join(',');
        },
      ),
    ),
  );
});
