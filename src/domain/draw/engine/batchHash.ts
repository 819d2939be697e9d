// Batches of many short messages per call (leaves, tickets, Merkle nodes): the WebAssembly SHA-256 of
// sha256Wasm.ts where it loads and passes its known-answer test, the JS of sha256.ts otherwise (and in the
// browser build, whose CSP forbids compiling WebAssembly). The module is compiled on the first batch, not
// at import, so importing the draw costs nothing.
import { type EachDigest, type EachMac, hmacSha256EachJs, nodePairsJs, sha256EachJs } from './sha256.js';
import { loadWasmSha256, type WasmSha256 } from './sha256Wasm.js';

let wasm: WasmSha256 | undefined | null = null; // null: not tried yet

/** The checked WebAssembly hasher, or undefined (then the JS one is used). Compiles once. */
export function wasmHasher(): WasmSha256 | undefined {
  if (wasm === null) {
    const candidate = loadWasmSha256();
    wasm = candidate && passesKnownAnswers(candidate) ? candidate : undefined;
  }
  return wasm;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/**
 * FIPS 180-4 ("abc") and RFC 4231 test case 2, then a batch exercising the one-lane, four-lane and
 * Merkle-pair paths compared with the JS implementation. Any difference keeps the draw on JS.
 */
export function passesKnownAnswers(w: WasmSha256): boolean {
  try {
    if (hex(w.sha256(ascii('abc'))) !== 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad') {
      return false;
    }
    const mac = new Uint8Array(32);
    const msg = ascii('what do ya want for nothing?');
    w.many(ascii('Jefe'), msg, new Uint32Array([0, msg.length]), 1, mac, 0);
    if (hex(mac) !== '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843') return false;
    // 9 messages of lengths 0..200: four-lane groups where lengths pad alike, single lanes elsewhere.
    const lengths = [55, 55, 55, 55, 0, 64, 119, 120, 200];
    const offsets = new Uint32Array(lengths.length + 1);
    lengths.forEach((len, i) => {
      offsets[i + 1] = offsets[i]! + len;
    });
    const data = Uint8Array.from({ length: offsets[lengths.length]! }, (_, i) => (i * 31 + 7) & 0xff);
    const key = ascii('known-answer key');
    for (const k of [false, key] as const) {
      const a = new Uint8Array(32 * lengths.length);
      const b = new Uint8Array(32 * lengths.length);
      w.many(k, data, offsets, lengths.length, a, 0);
      if (k) hmacSha256EachJs(k, data, offsets, lengths.length, b, 0);
      else sha256EachJs(data, offsets, lengths.length, b, 0);
      if (hex(a) !== hex(b)) return false;
    }
    const level = data.subarray(0, 64 * 5);
    const a = new Uint8Array(32 * 5);
    const b = new Uint8Array(32 * 5);
    w.pairs(level, 5, a);
    nodePairsJs(level, 5, b);
    return hex(a) === hex(b);
  } catch {
    return false;
  }
}

export const sha256Each: EachDigest = (data, offsets, count, out, outOff) => {
  const w = wasmHasher();
  if (w) w.many(false, data, offsets, count, out, outOff);
  else sha256EachJs(data, offsets, count, out, outOff);
};

export const hmacSha256Each: EachMac = (key, data, offsets, count, out, outOff) => {
  const w = wasmHasher();
  if (w) w.many(key, data, offsets, count, out, outOff);
  else hmacSha256EachJs(key, data, offsets, count, out, outOff);
};

/** Merkle parents: out[32 j..) = SHA-256(0x01 || level[64 j..64 j + 64)) for j < count; out may be level. */
export function nodePairs(level: Uint8Array, count: number, out: Uint8Array): void {
  const w = wasmHasher();
  if (w) w.pairs(level, count, out);
  else nodePairsJs(level, count, out);
}
