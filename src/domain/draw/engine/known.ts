// Names known in advance (a rules' group names, site ids) found by their UTF-8 bytes without making a string:
// the roster readers (rosterJson.ts from a file, rosterBuilder.ts from a service's rows) number them so.
const encoder = new TextEncoder();

/**
 * Strings known in advance (group names, site ids), found by their bytes without making a string. Flat
 * arrays rather than a Uint8Array per name: with one small array per site, each of 4M lookups missed the
 * cache two or three times (1.8 s of a 2.2 s scan, measured at load 15; 0.4 s of it with no lookup).
 */
export class Known {
  readonly names: string[];
  /** slot s: the hash of its name at 2 s, the name's index at 2 s + 1 (-1: empty) */
  readonly #slots: Int32Array;
  readonly #mask: number;
  /** the names' bytes one after the other; name k is at [#at[k], #at[k + 1]) */
  readonly #bytes: Uint8Array;
  readonly #at: Int32Array;

  constructor(names: readonly string[]) {
    this.names = [...names];
    const bytes = this.names.map((s) => encoder.encode(s));
    this.#at = new Int32Array(bytes.length + 1);
    for (let k = 0; k < bytes.length; k++) this.#at[k + 1] = this.#at[k]! + bytes[k]!.length;
    this.#bytes = new Uint8Array(this.#at[bytes.length]!);
    for (let k = 0; k < bytes.length; k++) this.#bytes.set(bytes[k]!, this.#at[k]!);
    let size = 16;
    while (size < 2 * bytes.length) size *= 2;
    this.#mask = size - 1;
    this.#slots = new Int32Array(2 * size).fill(-1);
    bytes.forEach((b, k) => {
      const h = hash(b, 0, b.length);
      let s = h & this.#mask;
      while (this.#slots[2 * s + 1]! >= 0) s = (s + 1) & this.#mask;
      this.#slots[2 * s] = h;
      this.#slots[2 * s + 1] = k;
    });
  }

  /** The index in names of the string whose bytes are b[start, end), or -1. */
  find(b: Uint8Array, start: number, end: number): number {
    const h = hash(b, start, end);
    const slots = this.#slots;
    for (let s = h & this.#mask; ; s = (s + 1) & this.#mask) {
      const k = slots[2 * s + 1]!;
      if (k < 0) return -1;
      if (slots[2 * s] !== h) continue;
      const from = this.#at[k]!;
      if (this.#at[k + 1]! - from !== end - start) continue;
      let i = 0;
      while (i < end - start && this.#bytes[from + i] === b[start + i]) i++;
      if (i === end - start) return k;
    }
  }
}

/** FNV-1a of b[start, end). */
function hash(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h;
}
