// runDraw: the whole pure draw-v1, from validated inputs to the audit bundle.

import { allocate } from './allocate.js';
import { toHex } from './bytes.js';
import { DrawInputError } from './errors.js';
import { leafHashes, merkleRoot } from './merkle.js';
import { computeTickets, rankOrder } from './order.js';
import { buildResults, resultsHash } from './results.js';
import { sortRoster } from './roster.js';
import { deriveSeed, seedCommitment } from './seed.js';
import { type Bundle, type Campaign, DRAW_VERSION } from './types.js';
import { validateRoster, validateRules } from './validate.js';

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

export function runDraw(input: DrawInput): Bundle {
  return runDrawPhases(input, none);
}

/** runDraw, calling mark after each phase (the domain reads no clock itself). */
export function runDrawPhases(input: DrawInput, mark: PhaseMark): Bundle {
  const { campaign, secret, beacon } = input;
  if (typeof campaign?.id !== 'string' || typeof campaign?.title !== 'string') {
    throw new DrawInputError('$.campaign', 'must be {id: string, title: string}');
  }
  if (!(secret instanceof Uint8Array) || secret.length !== 32) {
    throw new DrawInputError('$.secret', 'must be exactly 32 bytes');
  }
  if (typeof beacon !== 'string') throw new DrawInputError('$.beacon', 'must be a string');
  const rules = validateRules(input.rules, '$.rules');
  const valid = validateRoster(input.roster, rules, { path: '$.roster', unique: false });
  mark('validate');
  // Duplicates are found by sortRoster, after sorting, without a Set of every id.
  const roster = sortRoster(valid);
  mark('sort roster');
  const leaves = leafHashes(roster);
  mark('leaf hashes');
  const root = merkleRoot(leaves);
  mark('merkle nodes');
  const seed = deriveSeed(secret, beacon, root);
  const tickets = computeTickets(seed, roster);
  mark('tickets');
  const order = rankOrder(tickets);
  mark('rank');
  const alloc = allocate(rules, roster, order);
  mark('allocate');
  const results = buildResults(rules, roster, tickets, order, alloc);
  mark('results');
  const hash = resultsHash(results);
  mark('results hash');
  return {
    version: DRAW_VERSION,
    campaign: { id: campaign.id.normalize('NFC'), title: campaign.title.normalize('NFC') },
    rules,
    roster,
    roster_root: toHex(root),
    seed_commitment: seedCommitment(secret),
    secret: toHex(secret),
    beacon: beacon.normalize('NFC'),
    seed: toHex(seed),
    results,
    results_hash: hash,
  };
}
