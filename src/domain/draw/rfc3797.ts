// RFC 3797 (publicly verifiable selection), for small pools and auditors who know that procedure.
// Key: each source in canonical form followed by "/" (section 4): a source of numbers has them sorted
// ascending, each written in decimal without leading zeros and followed by "."; a source of text keeps
// only letters and digits, upper-cased (accents dropped). Fractions are refused rather than guessed.
// Selection i (from 0): MD5(u16be(i) || key || u16be(i)) as a 128-bit big-endian integer, modulo
// the number of positions still in the pool, picks (0-based) among the remaining positions in order.
import { concatBytes, toHex, utf8 } from './bytes.js';
import { DrawInputError } from './errors.js';
import { md5 } from './hash.js';

const INTEGER = /^\d+$/;
const DECIMAL = /^\d*\.\d+$|^\d+\.\d*$/;

/** One source in canonical form, with its terminating "/". */
export function canonicalSource(source: string): string {
  const tokens = source.split(/[\s,]+/).filter((t) => t.length > 0);
  if (tokens.some((t) => DECIMAL.test(t))) {
    // Lottery draws and drand rounds are whole numbers; we do not guess a canonical form for fractions.
    throw new DrawInputError(
      '$.source',
      `only whole numbers are supported in a numeric source: ${JSON.stringify(source)}`,
    );
  }
  if (tokens.length > 0 && tokens.every((t) => INTEGER.test(t))) {
    const numbers = tokens.map((t) => BigInt(t)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `${numbers.map((v) => `${v}.`).join('')}/`;
  }
  const text = source
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase();
  return `${text}/`;
}

export function rfc3797Key(sources: readonly string[]): string {
  return sources.map(canonicalSource).join('');
}

function u16be(i: number): Uint8Array {
  return new Uint8Array([i >>> 8, i & 255]);
}

/** Selects `pick` of the positions 1..pool, in selection order. */
export function rfc3797Select(pool: number, pick: number, sources: readonly string[]): number[] {
  if (!Number.isSafeInteger(pool) || pool < 1) throw new DrawInputError('$.pool', 'must be an integer >= 1');
  if (!Number.isSafeInteger(pick) || pick < 0 || pick > pool || pick > 65536) {
    throw new DrawInputError('$.pick', `must be an integer from 0 to the pool size ${pool} (at most 65536)`);
  }
  if (sources.length === 0) throw new DrawInputError('$.sources', 'needs at least one source');
  const key = utf8(rfc3797Key(sources));
  const remaining = Array.from({ length: pool }, (_, i) => i + 1);
  const selected: number[] = [];
  for (let i = 0; i < pick; i++) {
    const value = BigInt(`0x${toHex(md5(concatBytes(u16be(i), key, u16be(i))))}`);
    const index = Number(value % BigInt(remaining.length));
    selected.push(remaining.splice(index, 1)[0]!);
  }
  return selected;
}
