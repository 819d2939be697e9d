// A roster pushed in entry by entry as bytes and numbers (a service's reader of its stored rows) straight
// into the engine's columns (columns.ts), checked as validateRoster checks entries but for duplicate ids,
// which the draw's sort finds: finish() gives a RosterFile, which the draw and the leaf hashes take without
// an object per entry. A pure data structure: the reader that parses its storage's bytes lives with it.
import { DrawInputError } from '../errors.js';
import type { Rules } from '../types.js';
import { idJsonOf, type RosterColumns } from './columns.js';
import { Known } from './known.js';
import { namesOf, type RosterFile, rosterFileOf } from './rosterInput.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The numbers validate.ts takes: a safe integer >= 1, else the message it gives. */
function countProblem(v: number): string | undefined {
  if (!Number.isSafeInteger(v)) return 'must be an integer';
  return v < 1 ? `must be >= 1 (got ${v})` : undefined;
}

export class RosterBuilder {
  readonly #rules: Rules;
  readonly #path: string;
  readonly #groups: Known;
  readonly #sites: Known;
  #n = 0;
  #ids: Uint8Array;
  #idsLength = 0;
  #idAt = new Uint32Array(1);
  #group = new Uint32Array(0);
  #weight = new Float64Array(0);
  #request = new Float64Array(0);
  #prefAt = new Uint32Array(1);
  #pref: Uint32Array;
  #prefCount = 0;
  /** every id so far printable ASCII without `"` and `\`: its JSON is itself in quotes */
  #plain = true;

  /**
   * `rules` validated (validateRules): the RosterFile is for draws given this very object. `expected`, the
   * number of entries if known: the columns are then made at their size once (growing them by doubling
   * and copying to size at the end took ~0.2 s per million entries).
   */
  constructor(rules: Rules, options: { path?: string; expected?: number } = {}) {
    this.#rules = rules;
    this.#path = options.path ?? '$.roster';
    const expected = Math.max(1024, options.expected ?? 0);
    this.#grow(expected);
    this.#ids = new Uint8Array(16 * expected);
    this.#pref = new Uint32Array(4 * expected);
    const names = namesOf(rules);
    this.#groups = new Known(names.groups);
    this.#sites = new Known(names.sites);
  }

  get length(): number {
    return this.#n;
  }

  /**
   * Adds an entry: its public id's UTF-8 bytes b[idStart, idEnd), its group name's at b[groupStart,
   * groupEnd) ("" for none), weight and request; preference() then adds its sites in order.
   */
  entry(
    b: Uint8Array,
    idStart: number,
    idEnd: number,
    groupStart: number,
    groupEnd: number,
    weight: number,
    request: number,
  ): void {
    const n = this.#n;
    if (n === this.#group.length) this.#grow(2 * n);
    this.#prefAt[n] = this.#prefCount;
    if (idEnd === idStart) throw new DrawInputError(this.#at(n, 'public_id'), 'must not be empty');
    let ascii = true;
    let plain = true;
    for (let j = idStart; j < idEnd; j++) {
      const c = b[j]!;
      ascii &&= c >= 0x20 && c <= 0x7e;
      plain &&= c !== 0x22 && c !== 0x5c;
    }
    this.#plain &&= ascii && plain;
    // Copied byte by byte from b (no view per entry), or as validate.ts's str() gives it: NFC.
    let from = b;
    if (!ascii) {
      from = encoder.encode(decoder.decode(b.subarray(idStart, idEnd)).normalize('NFC'));
      [idStart, idEnd] = [0, from.length];
    }
    const length = idEnd - idStart;
    if (this.#idsLength + length > this.#ids.length)
      this.#ids = grown(this.#ids, 2 * (this.#idsLength + length));
    const ids = this.#ids;
    let end = this.#idsLength;
    for (let j = idStart; j < idEnd; j++) ids[end++] = from[j]!;
    this.#idsLength = end;
    this.#idAt[n + 1] = end;
    const g = this.#find(this.#groups, b, groupStart, groupEnd);
    if (g < 0)
      throw new DrawInputError(
        this.#at(n, 'group'),
        `names no group of the rules: ${quoted(b, groupStart, groupEnd)}`,
      );
    const bad = countProblem(weight) ?? countProblem(request);
    if (bad) throw new DrawInputError(this.#at(n, countProblem(weight) ? 'weight' : 'request'), bad);
    const d = this.#rules.denomination;
    if (request % d !== 0)
      throw new DrawInputError(
        this.#at(n, 'request'),
        `must be a multiple of the denomination ${d} (got ${request})`,
      );
    this.#group[n] = g;
    this.#weight[n] = weight;
    this.#request[n] = request;
    this.#n = n + 1;
    this.#prefAt[n + 1] = this.#prefCount;
  }

  /** Adds a site (its id's UTF-8 bytes b[start, end)) to the last entry's preferences. */
  preference(b: Uint8Array, start: number, end: number): void {
    const n = this.#n - 1;
    const site = this.#find(this.#sites, b, start, end);
    if (site < 0)
      throw new DrawInputError(this.#atPreference(n), `names no site of the rules: ${quoted(b, start, end)}`);
    for (let p = this.#prefAt[n]!; p < this.#prefCount; p++) {
      if (this.#pref[p] === site)
        throw new DrawInputError(this.#atPreference(n), `duplicate preference ${quoted(b, start, end)}`);
    }
    if (this.#prefCount === this.#pref.length) this.#pref = grown(this.#pref, 2 * this.#prefCount);
    this.#pref[this.#prefCount++] = site;
    this.#prefAt[n + 1] = this.#prefCount;
  }

  /** The entries added, in the order added, as a RosterFile for draws given these rules (views, not copies). */
  finish(): RosterFile {
    const n = this.#n;
    const ids = this.#ids.subarray(0, this.#idsLength);
    const idAt = this.#idAt.subarray(0, n + 1);
    const columns: RosterColumns = {
      length: n,
      ids,
      idAt,
      idJson: this.#plain ? undefined : jsonOfIds(ids, idAt),
      group: this.#group.subarray(0, n),
      groupNames: this.#groups.names,
      weight: this.#weight.subarray(0, n),
      request: this.#request.subarray(0, n),
      prefAt: this.#prefAt.subarray(0, n + 1),
      pref: this.#pref.subarray(0, this.#prefCount),
      siteNames: this.#sites.names,
    };
    return rosterFileOf(columns, this.#rules);
  }

  /** The path of entry n's field, for an error (made only then: not a string per entry). */
  #at(n: number, field: string): string {
    return `${this.#path}[${n}].${field}`;
  }

  /** The path of the preference entry n is being given. */
  #atPreference(n: number): string {
    return this.#at(n, `preferences[${this.#prefCount - this.#prefAt[n]!}]`);
  }

  /** A name's index, its bytes as given or else NFC-normalised (the rules' names are), or -1. */
  #find(names: Known, b: Uint8Array, start: number, end: number): number {
    const k = names.find(b, start, end);
    if (k >= 0) return k;
    const nfc = encoder.encode(decoder.decode(b.subarray(start, end)).normalize('NFC'));
    return names.find(nfc, 0, nfc.length);
  }

  #grow(entries: number): void {
    this.#idAt = grown(this.#idAt, entries + 1);
    this.#prefAt = grown(this.#prefAt, entries + 1);
    this.#group = grown(this.#group, entries);
    this.#weight = grown(this.#weight, entries);
    this.#request = grown(this.#request, entries);
  }
}

function grown<T extends Uint8Array | Uint32Array | Float64Array>(a: T, size: number): T {
  const bigger = new (a.constructor as new (n: number) => T)(size);
  bigger.set(a);
  return bigger;
}

const quoted = (b: Uint8Array, start: number, end: number) =>
  JSON.stringify(decoder.decode(b.subarray(start, end)));

/** Each id's JSON (quoted, escaped), as columns.ts's idJson: only when some id is not plain. */
function jsonOfIds(ids: Uint8Array, idAt: Uint32Array): { bytes: Uint8Array; at: Uint32Array } {
  const strings = new Array<string>(idAt.length - 1);
  for (let i = 0; i < strings.length; i++) strings[i] = decoder.decode(ids.subarray(idAt[i]!, idAt[i + 1]!));
  return idJsonOf(strings);
}
