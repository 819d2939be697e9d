// The one place the draw touches a platform hash API. A browser build swaps this file (esbuild alias)
// for one backed by a JS SHA-256/MD5; everything else in src/domain/draw is platform-neutral.
import { createHash, hash } from 'node:crypto';
import {
  type EachDigest,
  type EachMac,
  hmacSha256EachJs,
  KeyedHmacSha256,
  nodePairsJs,
  sha256EachJs,
} from './sha256.js';
import { loadWasmSha256 } from './sha256Wasm.js';

const wasm = loadWasmSha256();

export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(hash('sha256', data, 'buffer'));
}

export function md5(data: Uint8Array): Uint8Array {
  return new Uint8Array(hash('md5', data, 'buffer'));
}

export function hmacSha256(key: Uint8Array, msg: Uint8Array): Uint8Array {
  return new KeyedHmacSha256(key).mac(msg);
}

export interface IncrementalHash {
  update(chunk: Uint8Array | string): IncrementalHash;
  digest(): Uint8Array;
}

/** SHA-256 over many chunks (strings are hashed as UTF-8), for a results list too big for one string. */
export function sha256Incremental(): IncrementalHash {
  const h = createHash('sha256');
  const api: IncrementalHash = {
    update(chunk) {
      h.update(chunk);
      return api;
    },
    digest: () => new Uint8Array(h.digest()),
  };
  return api;
}

// Batches (many short messages per call): WebAssembly where available, about 1.7x the JS per block and
// one call per batch; the same functions in JS otherwise (and in the browser build, src/browser/drawHash.ts).

export const sha256Each: EachDigest = (data, offsets, count, out, outOff) => {
  if (wasm) wasm.many(false, data, offsets, count, out, outOff);
  else sha256EachJs(data, offsets, count, out, outOff);
};

export const hmacSha256Each: EachMac = (key, data, offsets, count, out, outOff) => {
  if (wasm) wasm.many(key, data, offsets, count, out, outOff);
  else hmacSha256EachJs(key, data, offsets, count, out, outOff);
};

/** Merkle parents: out[32 j..) = SHA-256(0x01 || level[64 j..64 j + 64)) for j < count; out may be level. */
export function nodePairs(level: Uint8Array, count: number, out: Uint8Array): void {
  if (wasm) wasm.pairs(level, count, out);
  else nodePairsJs(level, count, out);
}
