// docs/draw-v1.md §3: the commitment published at opening and the seed derived after close.
import { concatBytes, lengthPrefixed, toHex, utf8 } from './bytes.js';
import { sha256 } from './hash.js';

export const SEED_TAG = 'draw-v1/seed';

/** hex(SHA-256(secret)) */
export function seedCommitment(secret: Uint8Array): string {
  return toHex(sha256(secret));
}

/** SHA-256(LP(utf8("draw-v1/seed")) || LP(secret) || LP(utf8(beacon)) || LP(roster_root)) */
export function deriveSeed(secret: Uint8Array, beacon: string, rosterRoot: Uint8Array): Uint8Array {
  return sha256(
    concatBytes(
      lengthPrefixed(utf8(SEED_TAG)),
      lengthPrefixed(secret),
      lengthPrefixed(utf8(beacon.normalize('NFC'))),
      lengthPrefixed(rosterRoot),
    ),
  );
}
