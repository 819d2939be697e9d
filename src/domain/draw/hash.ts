// The one place the draw touches a platform hash API: one-shot SHA-256, HMAC-SHA256, MD5 (RFC 3797) and a
// streaming SHA-256, on node:crypto. The browser build (scripts/build-verify.ts) swaps this file for
// src/browser/drawHash.ts; everything else in src/domain/draw is platform-neutral.
import { createHash, createHmac, hash } from 'node:crypto';

export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(hash('sha256', data, 'buffer'));
}

export function md5(data: Uint8Array): Uint8Array {
  return new Uint8Array(hash('md5', data, 'buffer'));
}

export function hmacSha256(key: Uint8Array, msg: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(msg).digest());
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
