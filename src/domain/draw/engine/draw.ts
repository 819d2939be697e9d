// runDraw: the whole pure draw-v1, from validated inputs to the audit bundle.

import { toHex } from '../bytes.js';
import { sha256Incremental } from '../hash.js';
import { deriveSeed, seedCommitment } from '../seed.js';
import {
  type Bundle,
  type Campaign,
  DRAW_VERSION,
  type Result,
  type RosterEntry,
  type Rules,
} from '../types.js';
import { validateDrawParties } from '../validate.js';
import { type Allocation, allocate } from './allocate.js';
import { writeBundleOf } from './bundleBytes.js';
import { entriesOf, type RosterColumns } from './columns.js';
import { type PackedColumns, packColumns, writeResultsJson } from './jsonBytes.js';
import { leafHashesOf, leafHashesWithJson, merkleRoot } from './merkle.js';
import { computeTickets, rankOrder } from './order.js';
import { ResultWalker, resultsHashOfPacked, resultsOfPacked } from './results.js';
import { type RosterInput, rosterInput, validRules } from './rosterInput.js';

export interface DrawInput {
  campaign: Campaign;
  /** Checked with validateRules. */
  rules: unknown;
  /** Entries in any order, checked with validateRoster, then sorted; or a RosterFile read against `rules`. */
  roster: unknown;
  /** The operator's 32 secret bytes, committed to at opening. */
  secret: Uint8Array;
  beacon: string;
}

/** Told the name of each phase as it ends; the benchmark passes a clock, runDraw nothing. */
export type PhaseMark = (phase: string) => void;

const none: PhaseMark = () => {};

/**
 * The draw computed, results kept as columns (tickets, rank order, allocation) rather than 1M Result
 * objects: what a service needs to persist and hash them. bundle() materialises the full Bundle.
 */
export interface DrawnColumns {
  /** the bundle's fields; its roster (entry objects) is made on first use */
  bundleFields: Omit<Bundle, 'results'>;
  rules: Rules;
  /** the sorted roster as entries, made on first use when the input was a RosterFile */
  readonly roster: RosterEntry[];
  /** the sorted roster as columns (columns.ts) */
  columns: RosterColumns;
  tickets: Uint8Array;
  order: Uint32Array;
  alloc: Allocation;
  /** number of winners */
  won: number;
  /** the results in rank order, a batch at a time, without an object per result */
  walker(): ResultWalker;
  /** the Result objects of the bundle (1M objects for 1M entries) */
  results(): Result[];
}

export function runDraw(input: DrawInput): Bundle {
  return runDrawPhases(input, none);
}

/** runDraw, calling mark after each phase (the domain reads no clock itself). */
export function runDrawPhases(input: DrawInput, mark: PhaseMark): Bundle {
  // The packed columns of the results hash kept for results(): one 32 MB pack per 1M entries, not two.
  const d = drawColumnsPhases(input, mark, { keepPacked: true });
  const results = d.results();
  mark('results');
  const f = d.bundleFields;
  // Key order as before: version ... seed, results, results_hash (bundleJson sorts keys anyway).
  return {
    version: f.version,
    campaign: f.campaign,
    rules: f.rules,
    roster: f.roster,
    roster_root: f.roster_root,
    seed_commitment: f.seed_commitment,
    secret: f.secret,
    beacon: f.beacon,
    seed: f.seed,
    results,
    results_hash: f.results_hash,
  };
}

export function drawColumns(input: DrawInput): DrawnColumns {
  return drawColumnsPhases(input, none);
}

/** Everything the draw computes before its results are hashed: fields, sorted roster, columns. */
interface Drawn {
  fields: Omit<Bundle, 'results' | 'results_hash' | 'roster'>;
  rules: Rules;
  /** the sorted roster's columns, and its entries when the input gave entries */
  roster: RosterInput;
  tickets: Uint8Array;
  order: Uint32Array;
  alloc: Allocation;
  /** with `rosterJson`, the bundle's roster array, written with the leaves (leafHashesWithJson) */
  rosterJson?: Uint8Array;
}

function drawUpToResults(input: DrawInput, mark: PhaseMark, options: { rosterJson?: boolean } = {}): Drawn {
  const { campaign, secret, beacon } = validateDrawParties(input);
  const rules = validRules(input.rules, input.roster);
  const roster = rosterInput(input.roster, input.rules, rules, { path: '$.roster', sort: true });
  mark('validate + sort roster');
  const { columns } = roster;
  const { leaves, rosterJson } = options.rosterJson
    ? leafHashesWithJson(columns)
    : { leaves: leafHashesOf(columns), rosterJson: undefined };
  mark('leaf hashes');
  const root = merkleRoot(leaves, { inPlace: true });
  mark('merkle nodes');
  const seed = deriveSeed(secret, beacon, root);
  const tickets = computeTickets(seed, columns, leaves); // the leaves' bytes, free once the root is built
  mark('tickets');
  const order = rankOrder(tickets);
  mark('rank');
  const alloc = allocate(rules, columns, order);
  mark('allocate');
  const fields: Drawn['fields'] = {
    version: DRAW_VERSION,
    campaign,
    rules,
    roster_root: toHex(root),
    seed_commitment: seedCommitment(secret),
    secret: toHex(secret),
    beacon,
    seed: toHex(seed),
  };
  return { fields, rules, roster, tickets, order, alloc, rosterJson };
}

const countWon = (alloc: Allocation) => alloc.amount.reduce((won, a) => (a > 0 ? won + 1 : won), 0);

function columnsOf(d: Drawn, hash: string, packed: () => PackedColumns): DrawnColumns {
  const { rules, tickets, order, alloc } = d;
  const { columns, entries } = d.roster;
  // Entry objects only when asked for: a roster given as columns (a RosterFile) is persisted without them.
  let roster = entries;
  const entriesNow = () => {
    roster ??= entriesOf(columns);
    return roster;
  };
  return {
    bundleFields: {
      ...d.fields,
      get roster() {
        return entriesNow();
      },
      results_hash: hash,
    },
    rules,
    get roster() {
      return entriesNow();
    },
    columns,
    tickets,
    order,
    alloc,
    won: countWon(alloc),
    walker: () => new ResultWalker(rules, entries ?? columns, tickets, order, alloc),
    results: () => resultsOfPacked(packed(), entriesNow()),
  };
}

/** The columns the results are written from. */
const resultColumns = (d: Drawn) => ({ ...d, roster: d.roster.columns });

/**
 * The draw up to the results hash, results as columns; runDraw adds the Result objects. keepPacked keeps
 * the packed columns (packColumns) from the hash until results() is called, instead of packing again.
 */
export function drawColumnsPhases(
  input: DrawInput,
  mark: PhaseMark,
  options: { keepPacked?: boolean } = {},
): DrawnColumns {
  const d = drawUpToResults(input, mark);
  // Hashed from the columns, before (and without) any Result object exists.
  let packed: PackedColumns | undefined = packColumns(resultColumns(d));
  const hash = resultsHashOfPacked(packed);
  if (!options.keepPacked) packed = undefined;
  mark('results hash');
  return columnsOf(d, hash, () => {
    const p = packed ?? packColumns(resultColumns(d));
    packed = undefined;
    return p;
  });
}

/** What drawBundleJson tells of the draw it wrote. */
export interface DrawnBundle {
  bundleFields: Omit<Bundle, 'results' | 'roster'>;
  entries: number;
  /** number of winners */
  won: number;
}

/**
 * The draw, its bundle written to `sink` as writeBundleJson(drawColumns(input), sink) writes it, byte for
 * byte, but with the results written once: hashed as they go to the sink rather than written once more
 * for the hash before; and no object per entry when the roster is a RosterFile (npm run draw).
 * Measured (load average 11-17 on 2 cores), 1,000,000 results: the results' JSON is 1.2-1.5 s CPU a pass.
 */
export function drawBundleJson(
  input: DrawInput,
  mark: PhaseMark,
  sink: (chunk: Uint8Array) => void,
): DrawnBundle {
  const d = drawUpToResults(input, mark, { rosterJson: true });
  const packed = packColumns(resultColumns(d));
  const h = sha256Incremental();
  let hash = '';
  writeBundleOf(
    d.fields,
    d.rosterJson ?? d.roster.columns,
    (to) =>
      writeResultsJson(packed, (chunk) => {
        h.update(chunk);
        to(chunk);
      }),
    () => {
      hash = toHex(h.digest());
      return hash;
    },
    sink,
  );
  mark('write bundle');
  return {
    bundleFields: { ...d.fields, results_hash: hash },
    entries: d.roster.columns.length,
    won: countWon(d.alloc),
  };
}
