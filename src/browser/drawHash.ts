// The browser's stand-in for src/domain/draw/hash.ts (swapped in by scripts/build-verify.ts): the same
// functions on the project's pure-JS SHA-256 (src/domain/draw/engine/sha256.ts), so the page verifies a draw with
// the very code the service runs. MD5 (RFC 3797 only) is not part of the browser build.
import { KeyedHmacSha256, sha256Js } from '../domain/draw/engine/sha256.js';

export function sha256(data: Uint8Array): Uint8Array {
  return sha256Js(data);
}

export function md5(_data: Uint8Array): Uint8Array {
  throw new Error('MD5 (RFC 3797) is not part of the browser verifier');
}

export function hmacSha256(key: Uint8Array, msg: Uint8Array): Uint8Array {
  return new KeyedHmacSha256(key).mac(msg);
}

export interface IncrementalHash {
  update(chunk: Uint8Array | string): IncrementalHash;
  digest(): Uint8Array;
}

/** Collects the chunks and hashes them once: the browser has no streaming SHA-256 of its own that is synchronous. */
export function sha256Incremental(): IncrementalHash {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let total = 0;
  const api: IncrementalHash = {
    update(chunk) {
      const b = typeof chunk === 'string' ? encoder.encode(chunk) : chunk.slice(); // callers reuse chunks
      parts.push(b);
      total += b.length;
      return api;
    },
    digest() {
      const all = new Uint8Array(total);
      let off = 0;
      for (const p of parts) {
        all.set(p, off);
        off += p.length;
      }
      return sha256Js(all);
    },
  };
  return api;
}
