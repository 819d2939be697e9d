// Canonical JSON written straight into bytes: the results list, and the helpers columnJson.ts writes roster
// entries with. Same bytes as utf8(entryJson(e)) / utf8(resultJson(r)) (encode.ts), checked
// by test/domain/draw/jsonBytes.test.ts. Only printable ASCII is written here; a string with anything else
// makes the writer return -1 and the caller takes the string path, so escaping rules stay JSON.stringify's.
// Over 300 lines on purpose: two byte writers and their number and string helpers belong to one hot path.

import { int32View } from '../bytes.js';
import type { Result, RosterEntry, Rules } from '../types.js';
import type { Allocation } from './allocate.js';
import { columnsOf, idJsonLength, putId, type RosterColumns } from './columns.js';

export const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Copies the constant bytes `k` to buf[off..]; returns the new end. */
export function put(buf: Uint8Array, off: number, k: Uint8Array): number {
  for (let i = 0; i < k.length; i++) buf[off + i] = k[i]!;
  return off + k.length;
}

/** JSON.stringify(s) as bytes when s is printable ASCII (only `"` and `\` escaped); -1 otherwise. */
export function putString(buf: Uint8Array, off: number, s: string): number {
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

/** `${n}`: below 2^31 digit by digit, larger through String (which a template literal also calls). */
export function putInt(buf: Uint8Array, off: number, n: number): number {
  if ((n | 0) === n && n >= 0) {
    let len = 1;
    for (let x = n; x >= 10; x = (x / 10) | 0) len++;
    for (let i = off + len - 1, x = n | 0; i >= off; i--, x = (x / 10) | 0) buf[i] = 0x30 + (x % 10);
    return off + len;
  }
  const digits = String(n);
  for (let i = 0; i < digits.length; i++) buf[off + i] = digits.charCodeAt(i);
  return off + digits.length;
}

/** Enough room for the cjson of a value whose strings total `chars` UTF-16 units, each escaped at worst. */
export const roomFor = (chars: number): number => 2 * chars + 256;

/** A constant as little-endian u32 words (zero-padded), for putWords. */
export interface Words {
  w: Uint32Array;
  len: number;
}

export function words(k: Uint8Array): Words {
  const w = new Uint32Array(Math.ceil(k.length / 4));
  new Uint8Array(w.buffer).set(k);
  return { w, len: k.length };
}

/**
 * Copies constant k to dv's bytes at off, 4 at a time (a third of the time of a byte loop, measured);
 * writes up to 3 bytes past its end, which the caller's room covers and what follows overwrites.
 */
export function putWords(dv: DataView, off: number, k: Words): number {
  const w = k.w;
  for (let i = 0; i < w.length; i++) dv.setUint32(off + 4 * i, w[i]!, true);
  return off + k.len;
}

let viewed: Uint8Array | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));

/** A DataView of buf's bytes, kept for the next call with the same buf. */
export function viewOf(buf: Uint8Array): DataView {
  if (buf !== viewed) {
    viewed = buf;
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return view;
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

/** What the results list is computed from (docs/draw-v1.md §6): roster order, tickets, rank order, allocation. */
export interface ResultColumns {
  rules: Rules;
  roster: readonly RosterEntry[] | RosterColumns;
  tickets: Uint8Array;
  order: ArrayLike<number>;
  alloc: Allocation;
}

const encoder = new TextEncoder();
const utf8 = (s: string) => encoder.encode(s);
const CHUNK = 1 << 16;

/** Two hex digits of each byte as one little-endian u16. */
const HEX16 = Uint16Array.from({ length: 256 }, (_, v) => {
  const h = v.toString(16).padStart(2, '0');
  return h.charCodeAt(0) | (h.charCodeAt(1) << 8);
});

const W_AMOUNT = words(R_AMOUNT);
const W_WON = words(R_WON);
const W_WAIT = words(R_WAIT);
const W_RANK = words(R_RANK);
const W_TICKET = words(ascii(',"ticket":"'));
const W_WAITLIST = words(ascii('","waitlist":'));

/**
 * What the rank-order walks (results hash, verify's compare, Result objects) need of each entry but its
 * ticket, packed by roster index into one 32-byte record written in a sequential pass over the roster: a
 * walk then reads two cache lines per result at random (record, ticket) instead of seven (roster array,
 * entry object, id string, ticket, amount, site, slot). Measured, writing 1,000,000 shuffled results:
 * 1.7 s CPU reading those in rank order, 0.26 s to pack and 1.1-1.2 s to write this way. Record i at 32 i: the amount (f64 at 0); the place
 * (i32 at 8, an index into the place arrays); the length of the id's JSON (i32 at 12); that JSON at 16
 * when it fits in 16 bytes, else its offset in `ids` (i32 at 16).
 */
export interface PackedColumns {
  /** rank order: roster indices */
  order: ArrayLike<number>;
  /** 32 bytes per roster index */
  tickets: Uint8Array;
  records: Uint8Array;
  /** records as i32 and f64 words */
  i32: Int32Array;
  f64: Float64Array;
  /** the JSON strings (quoted, escaped, UTF-8) of ids longer than 14 characters */
  ids: Uint8Array;
  /** `,"site":<id>,"slot":<id>` */
  placeJson: Uint8Array[];
  placeSite: string[];
  placeSlot: string[];
}

const INLINE_ID = 16;
const GATHER = 1024;

/** PackedColumns of c. The site and slot as ResultWalker names them: "" for none. */
export function packColumns(c: ResultColumns): PackedColumns {
  const { rules, roster, tickets, order, alloc } = c;
  const cols = 'idAt' in roster ? roster : columnsOf(roster);
  const n = cols.length;
  const placeSite: string[] = [];
  const placeSlot: string[] = [];
  const addPlace = (site: string, slot: string) => {
    placeSite.push(site);
    placeSlot.push(slot);
    return placeSite.length - 1;
  };
  addPlace('', '');
  // per site: the site with no slot (never from allocate, kept for exactness), then each slot
  const siteBase = rules.sites.map((s) => {
    const base = addPlace(s.id, '');
    for (const t of s.slots) addPlace(s.id, t.id);
    return base;
  });
  const placeJson = placeSite.map((site, p) =>
    utf8(`,"site":${JSON.stringify(site)},"slot":${JSON.stringify(placeSlot[p])}`),
  );
  const records = new Uint8Array(32 * n);
  const i32 = new Int32Array(records.buffer);
  const f64 = new Float64Array(records.buffer);
  let ids = new Uint8Array(1024);
  let end = 0;
  for (let i = 0; i < n; i++) {
    f64[4 * i] = alloc.amount[i]!;
    const s = alloc.site[i]!;
    if (s >= 0) {
      const t = alloc.slot[i]!;
      i32[8 * i + 2] = siteBase[s]! + (t >= 0 && t < rules.sites[s]!.slots.length ? 1 + t : 0);
    }
    const len = idJsonLength(cols, i);
    i32[8 * i + 3] = len;
    if (len <= INLINE_ID) {
      putId(records, 32 * i + 16, cols, i);
    } else {
      if (end + len > ids.length) {
        const grown = new Uint8Array(2 * (end + len));
        grown.set(ids.subarray(0, end));
        ids = grown;
      }
      putId(ids, end, cols, i);
      i32[8 * i + 4] = end;
      end += len;
    }
  }
  return { order, tickets, records, i32, f64, ids, placeJson, placeSite, placeSlot };
}

/**
 * utf8(cjson(results)) of the results the columns describe (`[` results in rank order `]`), handed to
 * `sink` 64 KiB at a time in one reused chunk (sink must copy what it keeps): from the packed columns,
 * without a Result object or a string per result. The same fields as ResultWalker, the same bytes as
 * resultJson (test/domain/draw/jsonBytes.test.ts).
 */
export function writeResultsJson(c: ResultColumns | PackedColumns, sink: (chunk: Uint8Array) => void): void {
  const { order, tickets, i32, ids, placeJson } = 'records' in c ? c : packColumns(c);
  const places = placeJson.map(words);
  let chunk = new Uint8Array(CHUNK);
  let dv = new DataView(chunk.buffer);
  let pos = 0;
  chunk[pos++] = 0x5b; // [
  let waitlist = 0;
  // Each batch's records and tickets are first gathered (in rank order) into `staged`, 16 words a result:
  // a loop that does nothing else keeps many of its cache misses in flight at once, where the writing
  // loop below would wait for each. Measured, 1M shuffled results: 0.9 s -> 0.72-0.87 s CPU.
  const staged = new Int32Array(16 * GATHER);
  const stagedF64 = new Float64Array(staged.buffer);
  const stagedBytes = new Uint8Array(staged.buffer);
  const t32 = int32View(tickets);
  for (let k0 = 0; k0 < order.length; k0 += GATHER) {
    const end = Math.min(order.length, k0 + GATHER);
    for (let k = k0, s = 0; k < end; k++, s += 64) {
      const i = order[k]!;
      for (let q = 0; q < 8; q++) staged[s / 4 + q] = i32[8 * i + q]!;
      for (let q = 0; q < 8; q++) staged[s / 4 + 8 + q] = t32[8 * i + q]!;
    }
    for (let k = k0, s = 0; k < end; k++, s += 16) {
      const a = stagedF64[s / 2]!;
      const at = places[staged[s + 2]!]!;
      const idLen = staged[s + 3]!;
      const room = idLen + at.len + 200;
      if (pos + room > chunk.length) {
        sink(chunk.subarray(0, pos));
        pos = 0;
        if (room > chunk.length) {
          chunk = new Uint8Array(room); // an id of over 10,000 characters
          dv = new DataView(chunk.buffer);
        }
      }
      if (k > 0) chunk[pos++] = 0x2c; // ,
      pos = putInt(chunk, putWords(dv, pos, W_AMOUNT), a);
      pos = putWords(dv, pos, a > 0 ? W_WON : W_WAIT);
      if (idLen <= INLINE_ID) {
        // 4 bytes at a time from the record; the extra bytes are overwritten next
        for (let q = 0; 4 * q < idLen; q++) dv.setInt32(pos + 4 * q, staged[s + 4 + q]!, true);
        pos += idLen;
      } else {
        for (let j = staged[s + 4]!, e = j + idLen; j < e; j++) chunk[pos++] = ids[j]!;
      }
      pos = putWords(dv, putInt(chunk, putWords(dv, pos, W_RANK), k + 1), at);
      pos = putWords(dv, pos, W_TICKET);
      for (let b = 4 * s + 32, e = b + 32; b < e; b++, pos += 2)
        dv.setUint16(pos, HEX16[stagedBytes[b]!]!, true);
      pos = putInt(chunk, putWords(dv, pos, W_WAITLIST), a > 0 ? 0 : ++waitlist);
      chunk[pos++] = 0x7d; // }
    }
  }
  if (pos === chunk.length) {
    sink(chunk.subarray(0, pos));
    pos = 0;
  }
  chunk[pos++] = 0x5d; // ]
  sink(chunk.subarray(0, pos));
}
