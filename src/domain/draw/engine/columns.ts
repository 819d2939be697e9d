// The roster as columns: every pass of the engine (leaves, tickets, allocation, results, the bundle's roster)
// reads these typed arrays rather than an object, a string and an array per entry. npm run draw's reader
// (rosterJson.ts) fills them straight from the file's bytes; columnsOf builds them from entries.
import { utf8 } from '../bytes.js';
import type { RosterEntry } from '../types.js';
import { sortIndicesByKey } from './sortIndices.js';

export interface RosterColumns {
  readonly length: number;
  /** utf8(public_id) of entry i: ids[idAt[i], idAt[i + 1]) */
  readonly ids: Uint8Array;
  readonly idAt: Uint32Array;
  /**
   * The JSON of each id (quoted, escaped, UTF-8) at idJson.bytes[at[i], at[i + 1]), when some id is not
   * printable ASCII without `"` and `\`; absent, the JSON of an id is `"`, its bytes, `"`.
   */
  readonly idJson: { bytes: Uint8Array; at: Uint32Array } | undefined;
  /** entry i's group is groupNames[group[i]] ("" for none is a name too) */
  readonly group: Uint32Array;
  readonly groupNames: readonly string[];
  readonly weight: Float64Array;
  readonly request: Float64Array;
  /** entry i's preferences are siteNames[pref[p]] for p in [prefAt[i], prefAt[i + 1]) */
  readonly prefAt: Uint32Array;
  readonly pref: Uint32Array;
  readonly siteNames: readonly string[];
}

const PLAIN = /^[ !#-[\]-~]*$/; // printable ASCII but `"` and `\`: its JSON is itself in quotes
const encoder = new TextEncoder();

/** Index of each name; a new name is appended, or refused (-1) when the names are `closed`. */
function dictionary(
  names: readonly string[],
  closed: boolean,
): { names: string[]; index: (s: string) => number } {
  const all = [...names];
  const at = new Map(all.map((s, i) => [s, i]));
  return {
    names: all,
    index: (s) => {
      let i = at.get(s);
      if (i === undefined) {
        if (closed) return -1;
        i = all.push(s) - 1;
        at.set(s, i);
      }
      return i;
    },
  };
}

/** Group names ("" first) and site ids, which columnsOf numbers groups and sites by. */
export interface Names {
  groups: readonly string[];
  sites: readonly string[];
}

/**
 * The columns of entries, in their order. Given `names` (the rules' group names with "" first, and site
 * ids), a group or site is its index there, as readRosterColumns numbers them; others are appended.
 */
export function columnsOf(
  entries: readonly RosterEntry[],
  names: Names = { groups: [''], sites: [] },
): RosterColumns {
  return fill(entries, names, false, (e) => e as RosterEntry)!;
}

/**
 * columnsOf of raw entries that `accept` takes (returning the entry), naming only groups and sites of
 * `names`; undefined as soon as one does not (the caller then checks them one by one, for the error).
 */
export function acceptedColumns(
  raw: readonly unknown[],
  names: Names,
  accept: (v: unknown) => RosterEntry | undefined,
): RosterColumns | undefined {
  return fill(raw, names, true, accept);
}

function fill(
  raw: readonly unknown[],
  names: Names,
  closed: boolean,
  accept: (v: unknown) => RosterEntry | undefined,
): RosterColumns | undefined {
  const n = raw.length;
  const groups = dictionary(names.groups, closed);
  const sites = dictionary(names.sites, closed);
  const group = new Uint32Array(n);
  const weight = new Float64Array(n);
  const request = new Float64Array(n);
  const idAt = new Uint32Array(n + 1);
  const prefAt = new Uint32Array(n + 1);
  let prefCount = 0;
  let idLength = 0;
  let plain = true;
  for (let i = 0; i < n; i++) {
    const e = accept(raw[i]);
    if (e === undefined) return undefined;
    prefCount += e.preferences.length;
    idLength += e.public_id.length;
    plain &&= PLAIN.test(e.public_id);
  }
  const entries = raw as readonly RosterEntry[]; // each accepted, as is
  const pref = new Uint32Array(prefCount);
  let ids = new Uint8Array(plain ? idLength : 3 * idLength);
  let end = 0;
  for (let i = 0, p = 0; i < n; i++) {
    const e = entries[i]!;
    const id = e.public_id;
    if (plain) for (let j = 0; j < id.length; j++) ids[end++] = id.charCodeAt(j);
    else end += encoder.encodeInto(id, ids.subarray(end)).written;
    idAt[i + 1] = end;
    const g = groups.index(e.group);
    group[i] = g;
    weight[i] = e.weight;
    request[i] = e.request;
    const prefs = e.preferences;
    for (let j = 0; j < prefs.length; j++) {
      const site = sites.index(prefs[j]!);
      if (site < 0) return undefined;
      pref[p++] = site;
    }
    prefAt[i + 1] = p;
    if (g < 0) return undefined;
  }
  if (!plain) ids = ids.slice(0, end);
  const idJson = plain ? undefined : jsonOfIds(entries);
  return {
    length: n,
    ids,
    idAt,
    idJson,
    group,
    groupNames: groups.names,
    weight,
    request,
    prefAt,
    pref,
    siteNames: sites.names,
  };
}

const jsonOfIds = (entries: readonly RosterEntry[]) => idJsonOf(entries.map((e) => e.public_id));

/** Each id's JSON (quoted, escaped, UTF-8) packed one after the other, as RosterColumns.idJson holds them. */
export function idJsonOf(ids: readonly string[]): { bytes: Uint8Array; at: Uint32Array } {
  const parts = ids.map((id) => utf8(JSON.stringify(id)));
  const at = new Uint32Array(parts.length + 1);
  for (let i = 0; i < parts.length; i++) at[i + 1] = at[i]! + parts[i]!.length;
  const bytes = new Uint8Array(at[parts.length]!);
  for (let i = 0; i < parts.length; i++) bytes.set(parts[i]!, at[i]!);
  return { bytes, at };
}

/** The columns of entries order[0], order[1], ... of c. */
export function reordered(c: RosterColumns, order: ArrayLike<number>): RosterColumns {
  const n = order.length;
  const ids = new Uint8Array(c.ids.length);
  const idAt = new Uint32Array(n + 1);
  const group = new Uint32Array(n);
  const weight = new Float64Array(n);
  const request = new Float64Array(n);
  const prefAt = new Uint32Array(n + 1);
  const pref = new Uint32Array(c.pref.length);
  // the source columns in locals: the loop then reads no property of an object of one shape or another
  const [fromIds, fromIdAt, fromGroup, fromWeight, fromRequest, fromPrefAt, fromPref] = [
    c.ids,
    c.idAt,
    c.group,
    c.weight,
    c.request,
    c.prefAt,
    c.pref,
  ];
  for (let r = 0, end = 0, p = 0; r < n; r++) {
    const i = order[r]!;
    for (let j = fromIdAt[i]!, e = fromIdAt[i + 1]!; j < e; j++) ids[end++] = fromIds[j]!;
    idAt[r + 1] = end;
    group[r] = fromGroup[i]!;
    weight[r] = fromWeight[i]!;
    request[r] = fromRequest[i]!;
    for (let j = fromPrefAt[i]!, e = fromPrefAt[i + 1]!; j < e; j++) pref[p++] = fromPref[j]!;
    prefAt[r + 1] = p;
  }
  const idJson = c.idJson && reorderedRanges(c.idJson.bytes, c.idJson.at, order);
  return { ...c, ids, idAt, idJson, group, weight, request, prefAt, pref };
}

function reorderedRanges(bytes: Uint8Array, at: Uint32Array, order: ArrayLike<number>) {
  const out = new Uint8Array(bytes.length);
  const outAt = new Uint32Array(order.length + 1);
  for (let r = 0, end = 0; r < order.length; r++) {
    const i = order[r]!;
    out.set(bytes.subarray(at[i]!, at[i + 1]!), end);
    end += at[i + 1]! - at[i]!;
    outAt[r + 1] = end;
  }
  return { bytes: out, at: outAt };
}

/** Bytewise comparison of the ids of entries a and b. */
export function compareIds(c: RosterColumns, a: number, b: number): number {
  const { ids, idAt } = c;
  const [ai, ae, bi, be] = [idAt[a]!, idAt[a + 1]!, idAt[b]!, idAt[b + 1]!];
  const len = Math.min(ae - ai, be - bi);
  for (let k = 0; k < len; k++) {
    const d = ids[ai + k]! - ids[bi + k]!;
    if (d !== 0) return d;
  }
  return ae - ai - (be - bi);
}

/** The index of the first entry whose id is not strictly after its predecessor's, or -1. */
export function firstUnsortedColumn(c: RosterColumns): number {
  for (let i = 1; i < c.length; i++) if (compareIds(c, i - 1, i) >= 0) return i;
  return -1;
}

/**
 * Indices of the entries in bytewise order of their ids: a numeric key of the 8 bytes after the prefix
 * all ids share (0 past the end), the ids compared only where keys agree.
 */
export function idOrder(c: RosterColumns): Uint32Array {
  const { ids, idAt, length: n } = c;
  let common = n === 0 ? 0 : idAt[1]!;
  for (let i = 1; i < n && common > 0; i++) {
    let k = 0;
    const at = idAt[i]!;
    const len = Math.min(common, idAt[i + 1]! - at);
    while (k < len && ids[at + k] === ids[k]) k++;
    common = k;
  }
  const word = (i: number, from: number) => {
    const at = idAt[i]! + from;
    const end = idAt[i + 1]!;
    let w = 0;
    for (let k = 0; k < 4; k++) w = w * 256 + (at + k < end ? ids[at + k]! : 0);
    return w;
  };
  return sortIndicesByKey(
    n,
    (i) => word(i, common),
    (i) => word(i, common + 4),
    (a, b) => compareIds(c, a, b),
  );
}

/** Copies from[start, end) to buf[off..]; returns the new end. */
export function copy(buf: Uint8Array, off: number, from: Uint8Array, start: number, end: number): number {
  for (let j = start; j < end; j++) buf[off++] = from[j]!;
  return off;
}

/** The JSON of entry i's id at buf[off..]; returns the new end. */
export function putId(buf: Uint8Array, off: number, c: RosterColumns, i: number): number {
  if (c.idJson) return copy(buf, off, c.idJson.bytes, c.idJson.at[i]!, c.idJson.at[i + 1]!);
  buf[off] = 0x22; // "
  off = copy(buf, off + 1, c.ids, c.idAt[i]!, c.idAt[i + 1]!);
  buf[off] = 0x22;
  return off + 1;
}

/** The length of entry i's id's JSON. */
export function idJsonLength(c: RosterColumns, i: number): number {
  return c.idJson ? c.idJson.at[i + 1]! - c.idJson.at[i]! : c.idAt[i + 1]! - c.idAt[i]! + 2;
}

const decoder = new TextDecoder();

/** Entry i's public id. */
export function idOf(c: RosterColumns, i: number): string {
  const ids = c.ids.subarray(c.idAt[i]!, c.idAt[i + 1]!);
  // Without idJson every id is printable ASCII: a char per byte, without TextDecoder's cost per call.
  return c.idJson || ids.length > 256 ? decoder.decode(ids) : String.fromCharCode.apply(null, ids as never);
}

/** The entries the columns hold, as objects (for callers that need them: tests, a failed check's report). */
export function entriesOf(c: RosterColumns): RosterEntry[] {
  const out = new Array<RosterEntry>(c.length);
  for (let i = 0; i < c.length; i++) {
    const preferences: string[] = [];
    for (let p = c.prefAt[i]!; p < c.prefAt[i + 1]!; p++) preferences.push(c.siteNames[c.pref[p]!]!);
    out[i] = {
      public_id: idOf(c, i),
      group: c.groupNames[c.group[i]!]!,
      weight: c.weight[i]!,
      request: c.request[i]!,
      preferences,
    };
  }
  return out;
}
