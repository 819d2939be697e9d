// Randomness is passed into commands, so tests can fix codes and public ids.
import { createHash, randomBytes } from 'node:crypto';

export interface RandomSource {
  bytes(n: number): Buffer;
}

/** A uniform draw in [0, 1), to spread a crowd's next look (16 bits: a spread needs no more). */
export const uniformOf = (random: RandomSource): number => random.bytes(2).readUInt16BE(0) / 65_536;

/**
 * The operating system's CSPRNG, drawn 4 KiB at a time and handed out in slices (as node's randomUUID
 * does): every application takes two small draws, and one call per draw was ~3 % of intake CPU.
 */
export const cryptoRandom: RandomSource = (() => {
  const POOL = 4096;
  let pool = randomBytes(POOL);
  let at = 0;
  return {
    bytes(n) {
      if (n > POOL / 4) return randomBytes(n);
      if (at + n > POOL) {
        pool = randomBytes(POOL);
        at = 0;
      }
      // a copy, so no caller can see (or change) bytes handed to another
      const out = Buffer.from(pool.subarray(at, at + n));
      at += n;
      return out;
    },
  };
})();

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
