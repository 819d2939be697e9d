// runDraw: the whole pure draw-v1, from validated inputs to the audit bundle.

import { toHex } from '../bytes.js';
import { deriveSeed, seedCommitment } from '../seed.js';
import {
  type Bundle,
  type Campaign,
  DRAW_VERSION,
  type Result,
  type RosterEntry,
  type Rules,
} from '../types.js';
import { checkRoster, validateDrawParties, validateRules } from '../validate.js';
import { type Allocation, allocate } from './allocate.js';
import { type PackedColumns, packColumns } from './jsonBytes.js';
import { leafHashes, merkleRoot } from './merkle.js';
import { computeTickets, rankOrder } from './order.js';
import { ResultWalker, resultsHashOfPacked, resultsOfPacked } from './results.js';
import { entryCopier, sortRoster } from './roster.js';

export interface DrawInput {
  campaign: Campaign;
  /** Checked with validateRules. */
  rules: unknown;
  /** Entries in any order; checked with validateRoster, then sorted. */
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
  bundleFields: Omit<Bundle, 'results'>;
  rules: Rules;
  roster: RosterEntry[];
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

/**
 * The draw up to the results hash, results as columns; runDraw adds the Result objects. keepPacked keeps
 * the packed columns (packColumns) from the hash until results() is called, instead of packing again.
 */
export function drawColumnsPhases(
  input: DrawInput,
  mark: PhaseMark,
  options: { keepPacked?: boolean } = {},
): DrawnColumns {
  const { campaign, secret, beacon } = validateDrawParties(input);
  const rules = validateRules(input.rules, '$.rules');
  const valid = checkRoster(input.roster, rules, { path: '$.roster', unique: false });
  mark('validate');
  // Duplicates are found by sortRoster, after sorting, without a Set of every id. A roster that was not
  // in order is copied in order (entryCopier): the service's, read sorted from the database, is not.
  const roster = sortRoster(valid.entries, valid, entryCopier(rules));
  mark('sort roster');
  const leaves = leafHashes(roster);
  mark('leaf hashes');
  const root = merkleRoot(leaves, { inPlace: true });
  mark('merkle nodes');
  const seed = deriveSeed(secret, beacon, root);
  const tickets = computeTickets(seed, roster, leaves); // the leaves' bytes, free once the root is built
  mark('tickets');
  const order = rankOrder(tickets);
  mark('rank');
  const alloc = allocate(rules, roster, order);
  mark('allocate');
  // Hashed from the columns, before (and without) any Result object exists.
  let packed: PackedColumns | undefined = packColumns({ rules, roster, tickets, order, alloc });
  const hash = resultsHashOfPacked(packed);
  if (!options.keepPacked) packed = undefined;
  mark('results hash');
  let won = 0;
  for (let i = 0; i < alloc.amount.length; i++) if (alloc.amount[i]! > 0) won++;
  return {
    bundleFields: {
      version: DRAW_VERSION,
      campaign,
      rules,
      roster,
      roster_root: toHex(root),
      seed_commitment: seedCommitment(secret),
      secret: toHex(secret),
      beacon,
      seed: toHex(seed),
      results_hash: hash,
    },
    rules,
    roster,
    tickets,
    order,
    alloc,
    won,
    walker: () => new ResultWalker(rules, roster, tickets, order, alloc),
    results: () => {
      const p = packed ?? packColumns({ rules, roster, tickets, order, alloc });
      packed = undefined;
      return resultsOfPacked(p, roster);
    },
  };
}
