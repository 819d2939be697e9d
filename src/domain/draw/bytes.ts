// Platform-neutral byte helpers (Uint8Array only, no Buffer), so the draw can run in a browser.

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const encoder = new TextEncoder();

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i++) out += HEX[bytes[i]!];
  return out;
}

const HEX_CODES = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  HEX_CODES[2 * i] = HEX[i]!.charCodeAt(0);
  HEX_CODES[2 * i + 1] = HEX[i]!.charCodeAt(1);
}
const ascii = new TextDecoder('latin1');

/** The lowercase hex of bytes[from..from+len) as ASCII at buf[off..]; returns the new end. */
export function putHex(buf: Uint8Array, off: number, bytes: Uint8Array, from: number, len: number): number {
  for (let j = 0; j < len; j++) {
    const v = bytes[from + j]!;
    buf[off++] = HEX_CODES[2 * v]!;
    buf[off++] = HEX_CODES[2 * v + 1]!;
  }
  return off;
}

/** Is s the lowercase hex of bytes[from..from+len)? Compared code by code, without building the hex. */
export function isHexOf(s: unknown, bytes: Uint8Array, from: number, len: number): boolean {
  if (typeof s !== 'string' || s.length !== 2 * len) return false;
  for (let j = 0; j < len; j++) {
    const v = bytes[from + j]!;
    if (s.charCodeAt(2 * j) !== HEX_CODES[2 * v] || s.charCodeAt(2 * j + 1) !== HEX_CODES[2 * v + 1])
      return false;
  }
  return true;
}

/**
 * toHexRecords' scratch, reused (decode copies it into the string): a fresh 256 KB ArrayBuffer per batch
 * of 4096 tickets added up to 64 MB of external memory per 1M results, which is what starts V8's full
 * collections (--trace-incremental-marking: "external memory pressure").
 */
let hexCodes = new Uint8Array(0);

/**
 * hex of each `width`-byte record of `bytes`. One decode of the whole hex text, then slices:
 * measured for 1,000,000 32-byte tickets, 0.37 s, where per-ticket string concatenation took 1.9 s
 * and left ropes that cost another 1.3 s to flatten when the results were serialised.
 */
export function toHexRecords(bytes: Uint8Array, width: number): string[] {
  if (hexCodes.length < 2 * bytes.length) hexCodes = new Uint8Array(2 * bytes.length);
  const codes = hexCodes.subarray(0, 2 * bytes.length);
  putHex(codes, 0, bytes, 0, bytes.length);
  const text = ascii.decode(codes);
  const out = new Array<string>(bytes.length / width);
  for (let i = 0; i < out.length; i++) out[i] = text.slice(2 * width * i, 2 * width * (i + 1));
  return out;
}

/** Lowercase or uppercase hex to bytes; throws on odd length or a non-hex character. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError('not a hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function isLowerHex(s: unknown, bytes?: number): s is string {
  return (
    typeof s === 'string' &&
    /^[0-9a-f]*$/.test(s) &&
    s.length % 2 === 0 &&
    (bytes === undefined || s.length === 2 * bytes)
  );
}

/** bytes as 32-bit words (a view when aligned, else of a copy); bytes.length must be a multiple of 4. */
export function int32View(bytes: Uint8Array): Int32Array {
  const b = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Int32Array(b.buffer, b.byteOffset, b.length / 4);
}

/** Bytewise comparison of a[aOff..aOff+len) and b[bOff..bOff+len) as unsigned big-endian numbers. */
export function compareRange(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): number {
  for (let i = 0; i < len; i++) {
    const d = a[aOff + i]! - b[bOff + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Bytewise (lexicographic) comparison; a proper prefix sorts first. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const d = compareRange(a, 0, b, 0, Math.min(a.length, b.length));
  return d !== 0 ? d : a.length - b.length;
}

/** Compares two strings by their UTF-8 bytes (which is code point order, not JS's UTF-16 order). */
export function compareUtf8(a: string, b: string): number {
  return compareBytes(utf8(a), utf8(b));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareRange(a, 0, b, 0, a.length) === 0;
}

export function u32be(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`u32be out of range: ${n}`);
  return new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

/** LP(b) = u32be(len(b)) || b */
export function lengthPrefixed(b: Uint8Array): Uint8Array {
  return concatBytes(u32be(b.length), b);
}
