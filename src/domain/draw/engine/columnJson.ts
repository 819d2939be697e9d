// cjson of a roster entry written from the columns (columns.ts) into bytes: the leaf hashes' messages and
// the bundle's roster. The same bytes as utf8(entryJson(e)) (encode.ts); test/domain/draw/columns.test.ts
// checks that with fast-check. Group and site names are written once as JSON, then copied per entry.
import { utf8 } from '../bytes.js';
import type { RosterEntry } from '../types.js';
import { copy, idJsonLength, putId, type RosterColumns } from './columns.js';
import { ascii, putInt, putString, putWords, viewOf, words } from './jsonBytes.js';

/** The JSON (UTF-8) of each name, name k at bytes[at[k], at[k + 1]). */
function jsonOfNames(names: readonly string[]): { bytes: Uint8Array; at: Uint32Array; longest: number } {
  const parts = names.map((s) => utf8(JSON.stringify(s)));
  const at = new Uint32Array(parts.length + 1);
  let longest = 0;
  for (let k = 0; k < parts.length; k++) {
    at[k + 1] = at[k]! + parts[k]!.length;
    longest = Math.max(longest, parts[k]!.length);
  }
  const bytes = new Uint8Array(at[parts.length]!);
  for (let k = 0; k < parts.length; k++) bytes.set(parts[k]!, at[k]!);
  return { bytes, at, longest };
}

const W_GROUP = words(ascii('{"group":'));
const W_PREFS = words(ascii(',"preferences":['));
const W_ID = words(ascii('],"public_id":'));
const W_REQUEST = words(ascii(',"request":'));
const W_WEIGHT = words(ascii(',"weight":'));

/** The bytes every entry's cjson has: its keys, brackets and braces. */
const FIXED = '{"group":,"preferences":[],"public_id":,"request":,"weight":}'.length;

/** The length of `${n}` for a count (a safe integer >= 1). */
const digits = (n: number): number => (n < 10 ? 1 : n < 100 ? 2 : String(n).length);

/** Writes entry i's cjson; room(i) bytes must be free at the offset given to put. */
export class EntryWriter {
  readonly #c: RosterColumns;
  readonly #groups: ReturnType<typeof jsonOfNames>;
  readonly #sites: ReturnType<typeof jsonOfNames>;
  // the columns read per entry, as fields of this one class (not of columns objects of several shapes)
  readonly #group: Uint32Array;
  readonly #prefAt: Uint32Array;
  readonly #pref: Uint32Array;
  readonly #request: Float64Array;
  readonly #weight: Float64Array;

  constructor(c: RosterColumns) {
    this.#c = c;
    this.#groups = jsonOfNames(c.groupNames);
    this.#sites = jsonOfNames(c.siteNames);
    this.#group = c.group;
    this.#prefAt = c.prefAt;
    this.#pref = c.pref;
    this.#request = c.request;
    this.#weight = c.weight;
  }

  /** An upper bound of entry i's cjson length (plus the 3 bytes putWords may write past its end). */
  room(i: number): number {
    const prefs = this.#prefAt[i + 1]! - this.#prefAt[i]!;
    return idJsonLength(this.#c, i) + this.#groups.longest + prefs * (this.#sites.longest + 1) + 96;
  }

  /** The length of entry i's cjson, exactly. */
  size(i: number): number {
    const g = this.#groups.at;
    const s = this.#sites.at;
    const k = this.#group[i]!;
    const from = this.#prefAt[i]!;
    const to = this.#prefAt[i + 1]!;
    let n = FIXED + g[k + 1]! - g[k]! + Math.max(0, to - from - 1);
    for (let p = from; p < to; p++) n += s[this.#pref[p]! + 1]! - s[this.#pref[p]!]!;
    return n + idJsonLength(this.#c, i) + digits(this.#request[i]!) + digits(this.#weight[i]!);
  }

  /** Entry i's cjson at buf[off..]; returns the new end. */
  put(buf: Uint8Array, off: number, i: number): number {
    const dv = viewOf(buf);
    const g = this.#groups;
    const s = this.#sites;
    const k = this.#group[i]!;
    const pref = this.#pref;
    let o = copy(buf, putWords(dv, off, W_GROUP), g.bytes, g.at[k]!, g.at[k + 1]!);
    o = putWords(dv, o, W_PREFS);
    for (let p = this.#prefAt[i]!, first = p, end = this.#prefAt[i + 1]!; p < end; p++) {
      if (p > first) buf[o++] = 0x2c; // ,
      const site = pref[p]!;
      o = copy(buf, o, s.bytes, s.at[site]!, s.at[site + 1]!);
    }
    o = putWords(dv, o, W_ID);
    o = putId(buf, o, this.#c, i);
    o = putInt(buf, putWords(dv, o, W_REQUEST), this.#request[i]!);
    o = putInt(buf, putWords(dv, o, W_WEIGHT), this.#weight[i]!);
    buf[o] = 0x7d; // }
    return o + 1;
  }
}

/** UTF-16 units in an entry's strings: putEntry needs 2 * entryChars(e) + 256 bytes of room. */
export function entryChars(e: RosterEntry): number {
  let n = e.public_id.length + e.group.length;
  for (let i = 0; i < e.preferences.length; i++) n += e.preferences[i]!.length + 3;
  return n;
}

/**
 * utf8(entryJson(e)) of an entry object at buf[off..], the new end; -1 (for the string path) when a string
 * is not printable ASCII. For leafHashes of entries (the close), which then need no columns: making them
 * took twice the time of hashing from the objects (1M entries: 1.9-2.5 s against 0.85-1.6 s CPU).
 */
export function putEntry(buf: Uint8Array, off: number, e: RosterEntry): number {
  const dv = viewOf(buf);
  let o = putString(buf, putWords(dv, off, W_GROUP), e.group);
  if (o < 0) return -1;
  o = putWords(dv, o, W_PREFS);
  const prefs = e.preferences;
  for (let i = 0; i < prefs.length; i++) {
    if (i > 0) buf[o++] = 0x2c;
    o = putString(buf, o, prefs[i]!);
    if (o < 0) return -1;
  }
  o = putString(buf, putWords(dv, o, W_ID), e.public_id);
  if (o < 0) return -1;
  o = putInt(buf, putWords(dv, o, W_REQUEST), e.request);
  o = putInt(buf, putWords(dv, o, W_WEIGHT), e.weight);
  buf[o] = 0x7d;
  return o + 1;
}
