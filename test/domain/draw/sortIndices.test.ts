// rankOrder's packed-key sort equals the definition: ticket bytes ascending, ties by roster index.
import test from 'ava';
import fc from 'fast-check';
import { rankOrder } from '../../../src/domain/draw/index.js';

function reference(tickets: Uint8Array): number[] {
  const n = tickets.length / 32;
  const key = (i: number) => Buffer.from(tickets.subarray(32 * i, 32 * i + 32));
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => Buffer.compare(key(a), key(b)) || a - b);
}

// Bytes from a tiny alphabet so that tickets often share 8-byte prefixes, or are wholly equal.
const tickets = fc
  .array(
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((t) => t.map((b) => b % 3)),
    { maxLength: 300 },
  )
  .map((ts) => {
    const out = new Uint8Array(32 * ts.length);
    for (const [i, t] of ts.entries()) out.set(t, 32 * i);
    return out;
  });

test('rankOrder sorts by the whole 32-byte ticket, then index, however many prefixes tie', (t) => {
  fc.assert(
    fc.property(tickets, (ts) => JSON.stringify(Array.from(rankOrder(ts))) === JSON.stringify(reference(ts))),
    { numRuns: 500 },
  );
  const random = new Uint8Array(32 * 5000).map((_, i) => (i * 2654435761) >>> 24);
  t.deepEqual(Array.from(rankOrder(random)), reference(random));
});
