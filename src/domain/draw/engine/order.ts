// docs/draw-v1.md §4: each entry's ticket (its smallest HMAC-SHA256 over "public_id:k") and the rank order.

import { compareRange } from '../bytes.js';
import type { RosterEntry } from '../types.js';
import { MessageBatch } from './batch.js';
import { hmacSha256Each } from './batchHash.js';
import { columnsOf, type RosterColumns } from './columns.js';
import { sortIndicesByKey } from './sortIndices.js';

const COLON = 0x3a;

/** Writes the ASCII decimal digits of k at buf[off..]; returns the new end. */
function writeDecimal(buf: Uint8Array, off: number, k: number): number {
  if (k < 10) {
    buf[off] = 0x30 + k;
    return off + 1;
  }
  const digits = String(k);
  for (let i = 0; i < digits.length; i++) buf[off + i] = digits.charCodeAt(i);
  return off + digits.length;
}

const TICKET_BATCH = 8192;

/**
 * min over k = 1..weight of HMAC-SHA256(seed, utf8(public_id + ":" + k)), 32 bytes per entry, roster order.
 * The messages are hashed 8192 to a call (hmacSha256Each: WebAssembly under Node). Measured on 1,000,000
 * entries (1.33M messages): 1.6-2.2 s CPU one HMAC at a time in JS, 0.84-0.9 s this way.
 */
export function computeTickets(
  seed: Uint8Array,
  roster: readonly RosterEntry[] | RosterColumns,
  /** 32 * roster.length bytes to write the tickets to (e.g. the leaf hashes once the root is built) */
  into?: Uint8Array,
): Uint8Array {
  const c = 'idAt' in roster ? roster : columnsOf(roster);
  if (into !== undefined && into.length !== 32 * c.length) {
    throw new RangeError(`tickets need ${32 * c.length} bytes, not ${into.length}`);
  }
  // Every ticket starts at the largest value, so the minimum is taken over all of an entry's messages
  // even when they fall into different batches.
  const tickets = (into ?? new Uint8Array(32 * c.length)).fill(0xff);
  const batch = new MessageBatch(TICKET_BATCH);
  const owner = new Uint32Array(TICKET_BATCH);
  const macs = new Uint8Array(32 * TICKET_BATCH);
  const flush = () => {
    hmacSha256Each(seed, batch.bytes, batch.offsets, batch.count, macs, 0);
    for (let m = 0; m < batch.count; m++) {
      const out = 32 * owner[m]!;
      if (compareRange(macs, 32 * m, tickets, out, 32) < 0) {
        for (let b = 0; b < 32; b++) tickets[out + b] = macs[32 * m + b]!;
      }
    }
    batch.clear();
  };
  const { ids, idAt, weight } = c;
  for (let n = 0; n < c.length; n++) {
    const from = idAt[n]!;
    const to = idAt[n + 1]!;
    for (let k = 1, w = weight[n]!; k <= w; k++) {
      if (batch.count === TICKET_BATCH) flush();
      const start = batch.end;
      const buf = batch.room(to - from + 17);
      let idEnd = start;
      for (let j = from; j < to; j++) buf[idEnd++] = ids[j]!;
      buf[idEnd] = COLON;
      owner[batch.count] = n;
      batch.push(writeDecimal(buf, idEnd + 1, k));
    }
  }
  if (batch.count > 0) flush();
  return tickets;
}

/**
 * Roster indices in rank order: ticket ascending as a 256-bit big-endian number, ties by utf8(public_id).
 * The roster is sorted bytewise by utf8(public_id) and unique, so that tie-break is the index order.
 * The first 8 bytes are the numeric sort key (sortIndices.ts); all 32 are compared only on ties.
 */
export function rankOrder(tickets: Uint8Array): Uint32Array {
  const word = (o: number) =>
    ((tickets[o]! << 24) | (tickets[o + 1]! << 16) | (tickets[o + 2]! << 8) | tickets[o + 3]!) >>> 0;
  return sortIndicesByKey(
    tickets.length / 32,
    (i) => word(32 * i),
    (i) => word(32 * i + 4),
    (a, b) => compareRange(tickets, 32 * a, tickets, 32 * b, 32) || a - b,
  );
}
