// docs/draw-v1.md §4: an entry's ticket is its smallest HMAC-SHA256(seed, utf8(public_id + ":" + k)) over
// k = 1..weight, computed in batches; checked here against node:crypto one message at a time.
import { createHmac } from 'node:crypto';
import test from 'ava';
import fc from 'fast-check';
import { computeTickets } from '../../../src/domain/draw/engine/order.js';
import type { RosterEntry } from '../../../src/domain/draw/types.js';

const entry = (public_id: string, weight: number): RosterEntry => ({
  public_id,
  group: '',
  weight,
  request: 1,
  preferences: [],
});

function expected(seed: Uint8Array, e: RosterEntry): Buffer {
  let best: Buffer | undefined;
  for (let k = 1; k <= e.weight; k++) {
    const mac = createHmac('sha256', seed).update(`${e.public_id}:${k}`, 'utf8').digest();
    if (!best || Buffer.compare(mac, best) < 0) best = mac;
  }
  return best!;
}

test('tickets are the smallest HMAC over k = 1..weight, for weights past 9 and ids beyond ASCII', (t) => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.array(
        fc.record({
          id: fc.oneof(
            fc.string({ minLength: 1, maxLength: 12 }),
            fc.string({ unit: 'grapheme', minLength: 1 }),
          ),
          weight: fc.integer({ min: 1, max: 120 }),
        }),
        { maxLength: 8 },
      ),
      (seed, rows) => {
        const roster = rows.map((r) => entry(r.id, r.weight));
        const tickets = computeTickets(seed, roster);
        return roster.every((e, i) =>
          Buffer.from(tickets.subarray(32 * i, 32 * i + 32)).equals(expected(seed, e)),
        );
      },
    ),
    { numRuns: 60 },
  );
  t.pass();
});

test('tickets go where they are asked to, and only into room of the right size', (t) => {
  const seed = new Uint8Array(32).fill(7);
  const roster = [entry('A-1', 12), entry('비-2', 1)];
  const into = new Uint8Array(64);
  t.is(computeTickets(seed, roster, into), into);
  t.deepEqual(Buffer.from(into.subarray(0, 32)), expected(seed, roster[0]!));
  t.throws(() => computeTickets(seed, roster, new Uint8Array(63)), {
    instanceOf: RangeError,
    message: 'tickets need 64 bytes, not 63',
  });
});
