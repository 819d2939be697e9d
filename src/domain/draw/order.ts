// DRAW-V1 section 4: each entry's ticket (its smallest HMAC-SHA256 over "public_id:k") and the rank order.
import { compareRange } from './bytes.js';
import { KeyedHmacSha256 } from './sha256.js';
import { sortIndicesByKey } from './sortIndices.js';
import type { RosterEntry } from './types.js';

const encoder = new TextEncoder();
const COLON = 0x3a;

/** Writes the ASCII decimal digits of k at buf[off..]; returns the new end. */
function writeDecimal(buf: Uint8Array, off: number, k: number): number {
  const digits = String(k);
  for (let i = 0; i < digits.length; i++) buf[off + i] = digits.charCodeAt(i);
  return off + digits.length;
}

/** min over k = 1..weight of HMAC-SHA256(seed, utf8(public_id + ":" + k)), 32 bytes per entry, roster order. */
export function computeTickets(seed: Uint8Array, roster: readonly RosterEntry[]): Uint8Array {
  const hmac = new KeyedHmacSha256(seed);
  const tickets = new Uint8Array(32 * roster.length);
  const candidate = new Uint8Array(32);
  let msg = new Uint8Array(256);
  for (let n = 0; n < roster.length; n++) {
    const { public_id: id, weight } = roster[n]!;
    if (3 * id.length + 17 > msg.length) msg = new Uint8Array(3 * id.length + 17);
    const idLen = encoder.encodeInto(id, msg).written;
    msg[idLen] = COLON;
    const out = 32 * n;
    hmac.macInto(msg, writeDecimal(msg, idLen + 1, 1), tickets, out);
    for (let k = 2; k <= weight; k++) {
      hmac.macInto(msg, writeDecimal(msg, idLen + 1, k), candidate, 0);
      if (compareRange(candidate, 0, tickets, out, 32) < 0) tickets.set(candidate, out);
    }
  }
  return tickets;
}

/** The ticket of one applicant, for receipts and for people checking their own. */
export function ticketOf(seed: Uint8Array, entry: Pick<RosterEntry, 'public_id' | 'weight'>): Uint8Array {
  return computeTickets(seed, [{ ...entry, group: '', request: 1, preferences: [] }]);
}

/**
 * Roster indices in rank order: ticket ascending as a 256-bit big-endian number, ties by utf8(public_id).
 * The roster is sorted bytewise by utf8(public_id) and unique, so that tie-break is the index order.
 * The first 8 bytes are the numeric sort key (sortIndices.ts); the other 24 are compared only on ties.
 */
export function rankOrder(tickets: Uint8Array): Uint32Array {
  const n = tickets.length / 32;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const o = 32 * i;
    hi[i] = ((tickets[o]! << 24) | (tickets[o + 1]! << 16) | (tickets[o + 2]! << 8) | tickets[o + 3]!) >>> 0;
    lo[i] =
      ((tickets[o + 4]! << 24) | (tickets[o + 5]! << 16) | (tickets[o + 6]! << 8) | tickets[o + 7]!) >>> 0;
  }
  return sortIndicesByKey(
    hi,
    lo,
    (a, b) => compareRange(tickets, 32 * a + 8, tickets, 32 * b + 8, 24) || a - b,
  );
}
