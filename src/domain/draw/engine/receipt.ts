// An applicant's receipt: their roster entry, its leaf index and the RFC 6962 audit path to the root.
import { toHex } from '../bytes.js';
import type { RosterEntry } from '../types.js';
import type { MerkleTree } from './merkle.js';

export interface Receipt {
  entry: RosterEntry;
  index: number;
  tree_size: number;
  /** hex hashes, leaf level first */
  proof: string[];
  roster_root: string;
}

/** The receipt of roster[index]; `tree` is the MerkleTree of the same sorted roster's leaf hashes. */
export function makeReceipt(tree: MerkleTree, roster: readonly RosterEntry[], index: number): Receipt {
  const entry = roster[index];
  if (entry === undefined) throw new RangeError(`no roster entry at index ${index}`);
  return {
    entry,
    index,
    tree_size: tree.size,
    proof: tree.proof(index).map((p) => toHex(p)),
    roster_root: toHex(tree.root),
  };
}
