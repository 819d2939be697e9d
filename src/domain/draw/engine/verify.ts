// docs/draw-v1.md §6: the standalone verifier. Recomputes everything from the bundle alone and reports
// the first failing check, with every differing result entry and field.
// Over 300 lines on purpose: the verifier's checks in the spec's order, readable in one sitting against §6.

import { compareRange, fromHex, isHexOf, isLowerHex, toHex } from '../bytes.js';
import { DrawInputError } from '../errors.js';
import { sha256Incremental } from '../hash.js';
import { deriveSeed, seedCommitment } from '../seed.js';
import { DRAW_VERSION, type Result, type RosterEntry, type Rules } from '../types.js';
import { validateEntry } from '../validate.js';
import { allocate } from './allocate.js';
import { entriesOf, firstUnsortedColumn, idOf } from './columns.js';
import type { PhaseMark } from './draw.js';
import { type PackedColumns, packColumns, writeResultsJson } from './jsonBytes.js';
import { leafHash, leafHashesOf, merkleRoot, verifyInclusion } from './merkle.js';
import { computeTickets, rankOrder } from './order.js';
import type { Receipt } from './receipt.js';
import { eachResult, resultsHash } from './results.js';
import { type RosterInput, rosterInput, validRules } from './rosterInput.js';

export type BundleCheck =
  | 'format'
  | 'commitment'
  | 'roster_order'
  | 'roster_root'
  | 'seed'
  | 'results'
  | 'results_hash';

export interface Difference {
  rank?: number;
  public_id: string;
  field: string;
  /** recomputed */
  expected: unknown;
  /** published */
  actual: unknown;
}

export type Verdict<C extends string = BundleCheck> =
  | { ok: true }
  | { ok: false; check: C; message: string; differences: Difference[] };

const BUNDLE_KEYS = [
  'version',
  'campaign',
  'rules',
  'roster',
  'roster_root',
  'seed_commitment',
  'secret',
  'beacon',
  'seed',
  'results',
  'results_hash',
] as const;
const RESULT_KEYS: readonly (keyof Result)[] = [
  'rank',
  'public_id',
  'ticket',
  'outcome',
  'amount',
  'site',
  'slot',
  'waitlist',
];

function fail<C extends string>(check: C, message: string, differences: Difference[] = []): Verdict<C> {
  return { ok: false, check, message, differences };
}

interface Parsed {
  rules: Rules;
  roster: RosterInput;
  b: Record<string, unknown>;
}

function parse(bundle: unknown): Parsed | string {
  if (typeof bundle !== 'object' || bundle === null || Array.isArray(bundle))
    return 'the bundle is not a JSON object';
  const b = bundle as Record<string, unknown>;
  const missing = BUNDLE_KEYS.filter((k) => !(k in b));
  if (missing.length > 0) return `the bundle lacks ${missing.join(', ')}`;
  if (b.version !== DRAW_VERSION)
    return `version is ${JSON.stringify(b.version)}, this verifier knows only "draw-v1"`;
  for (const k of ['roster_root', 'seed_commitment', 'seed', 'results_hash'] as const) {
    if (!isLowerHex(b[k], 32)) return `${k} is not 64 lowercase hex digits`;
  }
  if (!isLowerHex(b.secret)) return 'secret is not lowercase hex';
  if (typeof b.beacon !== 'string') return 'beacon is not a string';
  if (!Array.isArray(b.results)) return 'results is not an array';
  try {
    const rules = validRules(b.rules, b.roster);
    // Duplicates are the roster_order check's to report, after the commitment check.
    const roster = rosterInput(b.roster, b.rules, rules, { path: '$.roster', sort: false });
    return { rules, roster, b };
  } catch (e) {
    if (e instanceof DrawInputError) return e.message;
    throw e;
  }
}

function show(v: unknown): string {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

/** "rank 3 (A0012): amount published 20000, recomputed 10000" */
export function describeDifference(d: Difference): string {
  const who = `${d.rank === undefined ? '' : `rank ${d.rank} `}(${d.public_id})`;
  if (d.field === 'entry') {
    return d.actual === undefined
      ? `${who}: missing from the published results`
      : `${who}: published but not in the recomputed results`;
  }
  return `${who}: ${d.field} published ${show(d.actual)}, recomputed ${show(d.expected)}`;
}

const KNOWN_KEYS: ReadonlySet<string> = new Set(RESULT_KEYS);

/** The common case, without allocating: no own key outside RESULT_KEYS and every field equal. */
function sameResult(e: Result, p: unknown): boolean {
  if (!onlyKnownKeys(p)) return false;
  const po = p;
  return (
    po.rank === e.rank &&
    po.public_id === e.public_id &&
    po.ticket === e.ticket &&
    po.outcome === e.outcome &&
    po.amount === e.amount &&
    po.site === e.site &&
    po.slot === e.slot &&
    po.waitlist === e.waitlist
  );
}

/** Only RESULT_KEYS as own keys (their values are compared by the caller). */
function onlyKnownKeys(p: unknown): p is Record<string, unknown> {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return false;
  for (const k in p) if (Object.hasOwn(p, k) && !KNOWN_KEYS.has(k)) return false;
  return true;
}

/** Is s the string whose JSON is bytes[from..from+len), for a printable-ASCII s (no escapes)? */
function isPlainJsonOf(s: string, bytes: Uint8Array, from: number, len: number): boolean {
  if (len !== s.length + 2) return false;
  for (let j = 0; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c !== bytes[from + 1 + j] || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/**
 * Do the published results equal the ones the columns describe, field for field, with no other fields
 * (sameResult for every rank)? Checked from the packed columns (packColumns) without building them: no
 * Result object, no ticket hex per entry. The fields as ResultWalker.next computes them.
 */
function publishedMatch(p: PackedColumns, roster: RosterInput, published: readonly unknown[]): boolean {
  const { order, tickets, records, i32, f64, ids, placeSite, placeSlot } = p;
  if (published.length !== order.length) return false;
  let waitlist = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const amount = f64[4 * i]!;
    const place = i32[8 * i + 2]!;
    const idLen = i32[8 * i + 3]!;
    const r = published[k];
    if (
      !onlyKnownKeys(r) ||
      r.rank !== k + 1 ||
      r.outcome !== (amount > 0 ? 'won' : 'waitlisted') ||
      r.amount !== amount ||
      r.site !== placeSite[place] ||
      r.slot !== placeSlot[place] ||
      r.waitlist !== (amount > 0 ? 0 : ++waitlist) ||
      !isHexOf(r.ticket, tickets, 32 * i, 32) ||
      typeof r.public_id !== 'string'
    ) {
      return false;
    }
    // The id from its JSON bytes in the record (no roster object read at random), else from the roster.
    const plain =
      idLen <= 16
        ? isPlainJsonOf(r.public_id, records, 32 * i + 16, idLen)
        : isPlainJsonOf(r.public_id, ids, i32[8 * i + 4]!, idLen);
    if (!plain && r.public_id !== (roster.entries?.[i]?.public_id ?? idOf(roster.columns, i))) return false;
  }
  return true;
}

/** hex SHA-256 of the canonical results JSON when raw is exactly those bytes, else undefined. */
function hashIfCanonical(packed: PackedColumns, raw: Uint8Array): string | undefined {
  const h = sha256Incremental();
  let at = 0;
  let same = true;
  writeResultsJson(packed, (chunk) => {
    if (!same) return;
    same = at + chunk.length <= raw.length && compareRange(chunk, 0, raw, at, chunk.length) === 0;
    at += chunk.length;
    h.update(chunk);
  });
  return same && at === raw.length ? toHex(h.digest()) : undefined;
}

/** Every difference between recomputed result e (or none) and published p (or none), at rank i + 1. */
function differences(e: Result | undefined, p: unknown, i: number): Difference[] {
  if (e === undefined || p === undefined) {
    const pid = e?.public_id ?? (p as { public_id?: unknown } | null)?.public_id;
    return [{ rank: i + 1, public_id: String(pid), field: 'entry', expected: e && { ...e }, actual: p }];
  }
  if (typeof p !== 'object' || p === null || Array.isArray(p)) {
    return [{ rank: i + 1, public_id: e.public_id, field: 'entry', expected: { ...e }, actual: p }];
  }
  const diffs: Difference[] = [];
  const po = p as Record<string, unknown>;
  for (const k of RESULT_KEYS) {
    if (po[k] !== e[k])
      diffs.push({ rank: i + 1, public_id: e.public_id, field: k, expected: e[k], actual: po[k] });
  }
  for (const k of Object.keys(po)) {
    if (!KNOWN_KEYS.has(k)) {
      diffs.push({ rank: i + 1, public_id: e.public_id, field: k, expected: undefined, actual: po[k] });
    }
  }
  return diffs;
}

export function verifyBundle(bundle: unknown): Verdict {
  return verifyBundlePhases(bundle, () => {});
}

/** verifyBundle, calling mark after each phase (the domain reads no clock itself). */
export function verifyBundlePhases(bundle: unknown, mark: PhaseMark): Verdict {
  return check(bundle, mark) ?? fail('format', 'unreachable: no raw results given');
}

/**
 * Whether verifyBundle would answer { ok: true } for `bundle` with its results being the JSON text
 * `rawResults` (UTF-8 bytes), decided without parsing that text: true when everything else checks and
 * rawResults is byte for byte the canonical JSON of the recomputed results (so it parses to exactly them,
 * and its SHA-256 is their results_hash). False means "not shown here": the caller parses the whole
 * bundle and runs verifyBundle for the verdict and its report. bundle.results is ignored.
 * For the CLI, where parsing the 1M results is about 2 of its 10 s (scripts/verify.ts).
 */
export function verifiesWithRawResults(bundle: unknown, rawResults: Uint8Array, mark: PhaseMark): boolean {
  if (typeof bundle !== 'object' || bundle === null || Array.isArray(bundle)) return false;
  return check({ ...bundle, results: [] }, mark, rawResults)?.ok === true;
}

/** verifyBundlePhases; with raw, the results are compared as bytes and undefined means "they differ". */
function check(bundle: unknown, mark: PhaseMark, raw?: Uint8Array): Verdict | undefined {
  const parsed = parse(bundle);
  mark('validate');
  if (typeof parsed === 'string') return fail('format', parsed);
  const { rules, b } = parsed;
  const roster = parsed.roster.columns;
  const secret = fromHex(b.secret as string);

  if (seedCommitment(secret) !== b.seed_commitment) {
    return fail('commitment', 'SHA-256 of the secret is not the published seed_commitment');
  }
  const bad = firstUnsortedColumn(roster);
  mark('roster order');
  if (bad >= 0) {
    return fail(
      'roster_order',
      `roster entry ${bad} (${idOf(roster, bad)}) does not come strictly after entry ${bad - 1} ` +
        `(${idOf(roster, bad - 1)}): the roster must be sorted by utf8(public_id), without duplicates`,
    );
  }
  const leaves = leafHashesOf(roster);
  mark('leaf hashes');
  const root = merkleRoot(leaves, { inPlace: true });
  mark('merkle nodes');
  if (toHex(root) !== b.roster_root) {
    return fail('roster_root', `roster root published ${b.roster_root}, recomputed ${toHex(root)}`);
  }
  const seed = deriveSeed(secret, b.beacon as string, root);
  if (toHex(seed) !== b.seed) {
    return fail(
      'seed',
      `seed published ${b.seed}, recomputed ${toHex(seed)} from the secret, beacon and root`,
    );
  }
  const tickets = computeTickets(seed, roster, leaves); // the leaves' bytes, free once the root is built
  mark('tickets');
  const order = rankOrder(tickets);
  mark('rank');
  const alloc = allocate(rules, roster, order);
  mark('allocate');
  const published = b.results as unknown[];
  const packed = packColumns({ rules, roster, tickets, order, alloc });
  if (raw !== undefined) {
    const hash = hashIfCanonical(packed, raw);
    mark('results bytes + hash');
    return hash === b.results_hash ? { ok: true } : undefined;
  }
  if (!publishedMatch(packed, parsed.roster, published)) {
    // Compared again while recomputed, one reused object at a time, for the report of every difference.
    const diffs: Difference[] = [];
    let k = 0;
    const entries = parsed.roster.entries ?? entriesOf(roster);
    eachResult(rules, entries, tickets, order, alloc, (e) => {
      if (!sameResult(e, published[k])) diffs.push(...differences(e, published[k], k));
      k++;
    });
    for (; k < published.length; k++) diffs.push(...differences(undefined, published[k], k));
    if (diffs.length > 0) {
      const entries = new Set(diffs.map((d) => d.rank)).size;
      return fail('results', `results differ at ${entries} ${entries === 1 ? 'entry' : 'entries'}`, diffs);
    }
  }
  mark('results + compare');
  // Published results equal the recomputed ones field for field and have no other fields, so their
  // cjson bytes are the recomputed ones: hash them (they lie in rank order in memory, which the packed
  // columns do not: measured 0.8-1.1 s against 1.2-1.4 s from the columns).
  const hash = resultsHash(published as Result[]);
  mark('results hash');
  if (hash !== b.results_hash)
    return fail('results_hash', `results_hash published ${b.results_hash}, recomputed ${hash}`);
  return { ok: true };
}

/** An applicant's check that their entry is leaf `index` of the published roster root. */
export function verifyReceipt(receipt: Receipt | unknown): Verdict<'format' | 'inclusion'> {
  if (typeof receipt !== 'object' || receipt === null)
    return fail('format', 'the receipt is not a JSON object');
  const r = receipt as Record<string, unknown>;
  let entry: RosterEntry;
  try {
    entry = validateEntry(r.entry, '$.entry');
  } catch (e) {
    if (e instanceof DrawInputError) return fail('format', e.message);
    throw e;
  }
  if (!Number.isSafeInteger(r.index) || !Number.isSafeInteger(r.tree_size)) {
    return fail('format', 'index and tree_size must be integers');
  }
  if (!Array.isArray(r.proof) || !r.proof.every((p) => isLowerHex(p, 32))) {
    return fail('format', 'proof must be a list of 64-hex-digit hashes');
  }
  if (!isLowerHex(r.roster_root, 32)) return fail('format', 'roster_root is not 64 lowercase hex digits');
  const ok = verifyInclusion(
    leafHash(entry),
    r.index as number,
    r.tree_size as number,
    r.proof.map((p: string) => fromHex(p)),
    fromHex(r.roster_root),
  );
  return ok
    ? { ok: true }
    : fail(
        'inclusion',
        `entry ${entry.public_id} at index ${r.index} is not proven to be in the roster ${r.roster_root}`,
      );
}
