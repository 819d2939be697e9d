// Randomness is passed into commands, so tests can fix codes and public ids.
import { createHash, randomBytes } from 'node:crypto';

export interface RandomSource {
  bytes(n: number): Buffer;
}

export const cryptoRandom: RandomSource = { bytes: (n) => randomBytes(n) };

/** A deterministic source for tests: SHA-256 in counter mode over a seed. */
export function seededRandom(seed: string): RandomSource {
  let counter = 0;
  return {
    bytes(n) {
      const out = Buffer.alloc(n);
      let filled = 0;
      while (filled < n) {
        const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
        filled += block.copy(out, filled);
      }
      return out;
    },
  };
}
