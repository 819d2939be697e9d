// Canonical JSON written straight into bytes, for the two hot shapes that are only ever hashed (roster
// leaves, the results list). Same bytes as utf8(entryJson(e)) / utf8(resultJson(r)) (encode.ts), checked
// by test/domain/draw/jsonBytes.test.ts. Only printable ASCII is written here; a string with anything else
// makes the writer return -1 and the caller takes the string path, so escaping rules stay JSON.stringify's.
import type { Result, RosterEntry } from './types.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Copies the constant bytes `k` to buf[off..]; returns the new end. */
function put(buf: Uint8Array, off: number, k: Uint8Array): number {
  for (let i = 0; i < k.length; i++) buf[off + i] = k[i]!;
  return off + k.length;
}

/** JSON.stringify(s) as bytes when s is printable ASCII (only `"` and `\` escaped); -1 otherwise. */
function putString(buf: Uint8Array, off: number, s: string): number {
  buf[off++] = 0x22;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return -1;
    if (c === 0x22 || c === 0x5c) buf[off++] = 0x5c;
    buf[off++] = c;
  }
  buf[off++] = 0x22;
  return off;
}

/** `${n}`: one digit by hand, the rest through String (which a template literal also calls). */
function putInt(buf: Uint8Array, off: number, n: number): number {
  if (n >>> 0 === n && n < 10) {
    buf[off] = 0x30 + n;
    return off + 1;
  }
  const digits = String(n);
  for (let i = 0; i < digits.length; i++) buf[off + i] = digits.charCodeAt(i);
  return off + digits.length;
}

/** Enough room for the cjson of a value whose strings total `chars` UTF-16 units, each escaped at worst. */
export const roomFor = (chars: number): number => 2 * chars + 256;

const E_GROUP = ascii('{"group":');
const E_PREFS = ascii(',"preferences":[');
const E_ID = ascii('],"public_id":');
const E_REQUEST = ascii(',"request":');
const E_WEIGHT = ascii(',"weight":');

/** UTF-16 units in an entry's strings, for roomFor. */
export function entryChars(e: RosterEntry): number {
  let n = e.public_id.length + e.group.length;
  for (let i = 0; i < e.preferences.length; i++) n += e.preferences[i]!.length + 3;
  return n;
}

/** utf8(entryJson(e)) at buf[off..] (room: roomFor(entryChars(e))); the new end, or -1 for the string path. */
export function putEntry(buf: Uint8Array, off: number, e: RosterEntry): number {
  let o = putString(buf, put(buf, off, E_GROUP), e.group);
  if (o < 0) return -1;
  o = put(buf, o, E_PREFS);
  const prefs = e.preferences;
  for (let i = 0; i < prefs.length; i++) {
    if (i > 0) buf[o++] = 0x2c;
    o = putString(buf, o, prefs[i]!);
    if (o < 0) return -1;
  }
  o = putString(buf, put(buf, o, E_ID), e.public_id);
  if (o < 0) return -1;
  o = putInt(buf, put(buf, o, E_REQUEST), e.request);
  o = putInt(buf, put(buf, o, E_WEIGHT), e.weight);
  buf[o] = 0x7d;
  return o + 1;
}

const R_AMOUNT = ascii('{"amount":');
const R_WON = ascii(',"outcome":"won","public_id":');
const R_WAIT = ascii(',"outcome":"waitlisted","public_id":');
const R_RANK = ascii(',"rank":');
const R_SITE = ascii(',"site":');
const R_SLOT = ascii(',"slot":');
const R_TICKET = ascii(',"ticket":');
const R_WAITLIST = ascii(',"waitlist":');

/** UTF-16 units in a result's strings, for roomFor. */
export function resultChars(r: Result): number {
  return r.public_id.length + r.site.length + r.slot.length + r.ticket.length;
}

/** utf8(resultJson(r)) at buf[off..] (room: roomFor(resultChars(r))); the new end, or -1 for the string path. */
export function putResult(buf: Uint8Array, off: number, r: Result): number {
  if (r.outcome !== 'won' && r.outcome !== 'waitlisted') return -1;
  let o = putInt(buf, put(buf, off, R_AMOUNT), r.amount);
  o = putString(buf, put(buf, o, r.outcome === 'won' ? R_WON : R_WAIT), r.public_id);
  if (o < 0) return -1;
  o = putString(buf, put(buf, putInt(buf, put(buf, o, R_RANK), r.rank), R_SITE), r.site);
  if (o < 0) return -1;
  o = putString(buf, put(buf, o, R_SLOT), r.slot);
  if (o < 0) return -1;
  o = putString(buf, put(buf, o, R_TICKET), r.ticket);
  if (o < 0) return -1;
  o = putInt(buf, put(buf, o, R_WAITLIST), r.waitlist);
  buf[o] = 0x7d;
  return o + 1;
}
