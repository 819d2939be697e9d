// A receipt's inclusion proof (docs/draw-v1.md's audit path). The close stores the Merkle levels from
// FIRST_STORED_LEVEL up; the levels below are recomputed from the frozen entries of the leaf's block of
// 2^FIRST_STORED_LEVEL (16 rows read along the public_id key), which hash to the same nodes.
import type { Db } from '../db/knex.js';
import { type FrozenEntry, readRosterNeighbours, readTreeSiblings } from '../db/repos/roster.js';
import { leafHashes, MerkleTree } from '../domain/draw/index.js';

/** Storing every level took 64 MB per million entries (1.1-1.35 s of the close); from level 4 up, 4 MB. */
export const FIRST_STORED_LEVEL = 4;

export async function inclusionProof(
  db: Db,
  campaignId: string,
  found: FrozenEntry,
  size: number,
): Promise<Uint8Array[]> {
  const width = 2 ** FIRST_STORED_LEVEL;
  // A block is aligned to its width, so its nodes below FIRST_STORED_LEVEL are the full tree's (promotions too).
  const start = found.idx - (found.idx % width);
  const end = Math.min(start + width, size);
  const block = await readRosterNeighbours(
    db,
    campaignId,
    found.entry.public_id,
    found.idx - start,
    end - found.idx,
  );
  if (block.length !== end - start || block.some((e, k) => e.idx !== start + k)) {
    throw new Error(`the frozen roster of campaign ${campaignId} is incomplete around leaf ${found.idx}`);
  }
  const lower = new MerkleTree(leafHashes(block.map((e) => e.entry))).proof(found.idx - start);
  return [...lower, ...(await readTreeSiblings(db, campaignId, found.idx, size, FIRST_STORED_LEVEL))];
}
