// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) in plain JavaScript, platform-neutral.
// Why not node:crypto for the tickets: HMAC with a fixed key lets us compress the ipad/opad blocks
// once and then spend two compressions per ticket. Measured on the 2-core box, 1,000,000 tickets:
// createHmac 3.3 s, crypto.hash-based manual HMAC 3.5 s, Hash#copy() 4.5 s, this file 1.1 s.

export const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
export const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const W = new Int32Array(64);

/** One SHA-256 compression of the 64-byte block at b[off..off+64) into state st. */
function compress(st: Int32Array, b: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    W[i] = (b[j]! << 24) | (b[j + 1]! << 16) | (b[j + 2]! << 8) | b[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = st[0]!;
  let b1 = st[1]!;
  let c = st[2]!;
  let d = st[3]!;
  let e = st[4]!;
  let f = st[5]!;
  let g = st[6]!;
  let h = st[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b1) ^ (a & c) ^ (b1 & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b1;
    b1 = a;
    a = (t1 + t2) | 0;
  }
  st[0] = (st[0]! + a) | 0;
  st[1] = (st[1]! + b1) | 0;
  st[2] = (st[2]! + c) | 0;
  st[3] = (st[3]! + d) | 0;
  st[4] = (st[4]! + e) | 0;
  st[5] = (st[5]! + f) | 0;
  st[6] = (st[6]! + g) | 0;
  st[7] = (st[7]! + h) | 0;
}

const tail = new Uint8Array(128);

/**
 * Finishes a hash whose state st has already absorbed `prefixLen` bytes (a multiple of 64):
 * absorbs msg[start..start+len), pads, and writes the 32-byte digest to out[outOff..). Mutates st.
 */
function finish(
  st: Int32Array,
  prefixLen: number,
  msg: Uint8Array,
  start: number,
  len: number,
  out: Uint8Array,
  outOff: number,
) {
  let off = 0;
  for (; off + 64 <= len; off += 64) compress(st, msg, start + off);
  const rest = len - off;
  off += start;
  const blocks = rest + 9 <= 64 ? 1 : 2;
  const end = blocks * 64;
  // Byte loops, not fill()/set(subarray()): a subarray is an object per hash (6.7M per 1M-entry draw);
  // measured 1M 65-byte messages, 0.77-0.86 s against 0.93-1.02 s.
  for (let i = 0; i < rest; i++) tail[i] = msg[off + i]!;
  tail[rest] = 0x80;
  for (let i = rest + 1; i < end - 8; i++) tail[i] = 0;
  const bits = (prefixLen + len) * 8; // exact below 2^53
  const hi = Math.floor(bits / 0x100000000);
  tail[end - 8] = hi >>> 24;
  tail[end - 7] = hi >>> 16;
  tail[end - 6] = hi >>> 8;
  tail[end - 5] = hi;
  tail[end - 4] = bits >>> 24;
  tail[end - 3] = bits >>> 16;
  tail[end - 2] = bits >>> 8;
  tail[end - 1] = bits;
  compress(st, tail, 0);
  if (blocks === 2) compress(st, tail, 64);
  for (let i = 0; i < 8; i++) {
    const v = st[i]!;
    out[outOff + i * 4] = v >>> 24;
    out[outOff + i * 4 + 1] = v >>> 16;
    out[outOff + i * 4 + 2] = v >>> 8;
    out[outOff + i * 4 + 3] = v;
  }
}

const state = new Int32Array(8);

/** SHA-256 of msg[0..len) written to out[outOff..outOff+32). */
export function sha256Into(msg: Uint8Array, len: number, out: Uint8Array, outOff: number): void {
  state.set(IV);
  finish(state, 0, msg, 0, len, out, outOff);
}

export function sha256Js(msg: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  sha256Into(msg, msg.length, out, 0);
  return out;
}

/** HMAC-SHA256 with a fixed key: the padded-key blocks are compressed once, here. */
export class KeyedHmacSha256 {
  readonly #inner = new Int32Array(8);
  readonly #outer = new Int32Array(8);
  readonly #mid = new Uint8Array(32);

  constructor(key: Uint8Array) {
    const k = key.length > 64 ? sha256Js(key) : key;
    const ipad = new Uint8Array(64).fill(0x36);
    const opad = new Uint8Array(64).fill(0x5c);
    for (let i = 0; i < k.length; i++) {
      ipad[i]! ^= k[i]!;
      opad[i]! ^= k[i]!;
    }
    this.#inner.set(IV);
    compress(this.#inner, ipad, 0);
    this.#outer.set(IV);
    compress(this.#outer, opad, 0);
  }

  /** HMAC of msg[0..len) written to out[outOff..outOff+32). */
  macInto(msg: Uint8Array, len: number, out: Uint8Array, outOff: number, start = 0): void {
    state.set(this.#inner);
    finish(state, 64, msg, start, len, this.#mid, 0);
    state.set(this.#outer);
    finish(state, 64, this.#mid, 0, 32, out, outOff);
  }

  mac(msg: Uint8Array): Uint8Array {
    const out = new Uint8Array(32);
    this.macInto(msg, msg.length, out, 0);
    return out;
  }
}

// Batch forms (the interface of batchHash.ts, which runs them in WebAssembly where it can; sha256Wasm.ts).

/** Digest i of the messages data[offsets[i]..offsets[i+1]), i < count, written to out[outOff + 32 i..). */
export type EachDigest = (
  data: Uint8Array,
  offsets: Uint32Array,
  count: number,
  out: Uint8Array,
  outOff: number,
) => void;

/** EachDigest with HMAC-SHA256 under key. */
export type EachMac = (key: Uint8Array, ...batch: Parameters<EachDigest>) => void;

export const sha256EachJs: EachDigest = (data, offsets, count, out, outOff) => {
  for (let i = 0; i < count; i++) {
    state.set(IV);
    finish(state, 0, data, offsets[i]!, offsets[i + 1]! - offsets[i]!, out, outOff + 32 * i);
  }
};

export const hmacSha256EachJs: EachMac = (key, data, offsets, count, out, outOff) => {
  const hmac = new KeyedHmacSha256(key);
  for (let i = 0; i < count; i++) {
    hmac.macInto(data, offsets[i + 1]! - offsets[i]!, out, outOff + 32 * i, offsets[i]!);
  }
};

const node = new Uint8Array(65);

/** out[32 j..) = SHA-256(0x01 || level[64 j..64 j + 64)) for j < count; out may be level (in place). */
export function nodePairsJs(level: Uint8Array, count: number, out: Uint8Array): void {
  node[0] = 1;
  for (let j = 0; j < count; j++) {
    for (let i = 0; i < 64; i++) node[1 + i] = level[64 * j + i]!; // no subarray objects: 2 per node
    state.set(IV);
    finish(state, 0, node, 0, 65, out, 32 * j);
  }
}
