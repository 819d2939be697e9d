// SHA-256 (FIPS 180-4) and HMAC-SHA256 as a small WebAssembly module, written out below instruction by
// instruction (no toolchain, no binary blob: the bytes are built here when the module loads), for hashing
// many short messages per call. Same algorithm as sha256.ts, whose output test/domain/draw/hash.test.ts
// checks it against. Why: the draw hashes about 9 million 64-byte blocks (leaves, Merkle nodes, tickets);
// the JS compression takes about 0.4 us a block, node:crypto costs about 1 us a call, and this module
// about 0.1 us a block with one JS -> wasm call per batch. Deterministic computation only: no imports.
// Used by hash.ts (Node); the browser build keeps the JS (its CSP does not allow compiling wasm).

// Memory layout (bytes): the working state, IV and the keyed HMAC states, a scratch digest, the node
// buffer of a Merkle pair, the padding tail, then data from DATA on (offsets, messages, digests).
const ST = 0;
const IV_AT = 32;
const HIN = 64;
const HOUT = 96;
const MID = 128;
const NODE = 160;
const PAD = 256;
const DATA = 1024;

import { type EachDigest, IV, K } from './sha256.js';

// --- a minimal WebAssembly encoder ---------------------------------------------------------------------

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const utf8Name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

const I32 = 0x7f;
/** Instructions used below; each returns its bytes. */
const get = (l: number) => [0x20, ...uleb(l)];
const set = (l: number) => [0x21, ...uleb(l)];
const tee = (l: number) => [0x22, ...uleb(l)];
const i32 = (c: number) => [0x41, ...sleb(c)];
const load = (offset = 0) => [0x28, 0, ...uleb(offset)];
const store = (offset = 0) => [0x36, 0, ...uleb(offset)];
const store8 = (offset = 0) => [0x3a, 0, ...uleb(offset)];
const call = (f: number) => [0x10, ...uleb(f)];
const add = [0x6a];
const sub = [0x6b];
const and = [0x71];
const or = [0x72];
const xor = [0x73];
const shl = [0x74];
const shrU = [0x76];
const rotl = [0x77];
const rotr = [0x78];
const ltU = [0x49];
const leU = [0x4d];
const eq = [0x46];
const brIf = (depth: number) => [0x0d, ...uleb(depth)];
const br = (depth: number) => [0x0c, ...uleb(depth)];
const block = [0x02, 0x40];
const loop = [0x03, 0x40];
const ifThen = [0x04, 0x40];
const end = [0x0b];
const memCopy = [0xfc, ...uleb(10), 0, 0];
const memFill = [0xfc, ...uleb(11), 0];

/** while (!exit) body: `exit` leaves its condition on the stack. */
const loopUntil = (exit: number[], body: number[]) => [
  ...block,
  ...loop,
  ...exit,
  ...brIf(1),
  ...body,
  ...br(0),
  ...end,
  ...end,
];

/** for (i = 0; i < limit; i++) body, with i and limit locals (limit may be 0). */
const forLoop = (i: number, limit: number, body: number[]) => [
  ...i32(0),
  ...set(i),
  ...loopUntil(
    [...get(i), ...get(limit), 0x4f /* i32.ge_u */],
    [...body, ...get(i), ...i32(1), ...add, ...set(i)],
  ),
];

/** The big-endian word at the little-endian i32 on the stack, via local tmp. */
const bswap = (tmp: number) => [
  ...set(tmp),
  ...get(tmp),
  ...i32(0xff00ff00),
  ...and,
  ...i32(8),
  ...rotl,
  ...get(tmp),
  ...i32(0x00ff00ff),
  ...and,
  ...i32(8),
  ...rotr,
  ...or,
];

// Function indices, in the order of the code section.
const F_COMPRESS = 0;
const F_FINISH = 1;
const F_SHA = 2;
const F_HMAC = 3;

/** compress(blk): one compression of the block at blk into the state at ST. Fully unrolled. */
function compressBody(): { locals: number; code: number[] } {
  // local 0: blk; 1..64: w0..w63; 65..72: r0..r7; 73: t1; 74: tmp
  const w = (i: number) => 1 + i;
  const r = (i: number) => 65 + (i & 7);
  const T1 = 73;
  const TMP = 74;
  const c: number[] = [];
  for (let i = 0; i < 16; i++) c.push(...get(0), ...load(4 * i), ...bswap(TMP), ...set(w(i)));
  const rot3 = (x: number[], a: number, b: number, last: number[]) => [
    ...x,
    ...i32(a),
    ...rotr,
    ...x,
    ...i32(b),
    ...rotr,
    ...xor,
    ...x,
    ...last,
    ...xor,
  ];
  for (let i = 16; i < 64; i++) {
    const w15 = get(w(i - 15));
    const w2 = get(w(i - 2));
    c.push(
      ...get(w(i - 16)),
      ...rot3(w15, 7, 18, [...i32(3), ...shrU]),
      ...add,
      ...get(w(i - 7)),
      ...add,
      ...rot3(w2, 17, 19, [...i32(10), ...shrU]),
      ...add,
      ...set(w(i)),
    );
  }
  for (let k = 0; k < 8; k++) c.push(...i32(0), ...load(ST + 4 * k), ...set(r(k)));
  for (let i = 0; i < 64; i++) {
    // roles this round: a = r(-i), b = r(1-i), ... h = r(7-i)
    const role = (k: number) => r((k - i + 64) & 7);
    const [a, b, cc, d, e, f, g, h] = [0, 1, 2, 3, 4, 5, 6, 7].map(role) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    // t1 = h + S1(e) + (g ^ (e & (f ^ g))) + K[i] + w[i]
    c.push(
      ...get(h),
      ...rot3(get(e), 6, 11, [...i32(25), ...rotr]),
      ...add,
      ...get(g),
      ...get(e),
      ...get(f),
      ...get(g),
      ...xor,
      ...and,
      ...xor,
      ...add,
      ...i32(K[i]!),
      ...add,
      ...get(w(i)),
      ...add,
      ...set(T1),
    );
    // d += t1
    c.push(...get(d), ...get(T1), ...add, ...set(d));
    // h = t1 + S0(a) + ((a & b) | (c & (a | b)))
    c.push(
      ...get(T1),
      ...rot3(get(a), 2, 13, [...i32(22), ...rotr]),
      ...add,
      ...get(a),
      ...get(b),
      ...and,
      ...get(cc),
      ...get(a),
      ...get(b),
      ...or,
      ...and,
      ...or,
      ...add,
      ...set(h),
    );
  }
  for (let k = 0; k < 8; k++)
    c.push(...i32(0), ...i32(0), ...load(ST + 4 * k), ...get(r(k)), ...add, ...store(ST + 4 * k));
  return { locals: 74, code: c };
}

/** Stores big-endian at `at` + END one word of the bit length, (PRE + LEN) shifted by `shift` (finish). */
const bitLengthWord = (at: number, shift: number[]) => {
  const [PRE, LEN, END, TMP] = [0, 2, 6, 7];
  return [
    ...i32(at),
    ...get(END),
    ...add,
    ...get(PRE),
    ...get(LEN),
    ...add,
    ...shift,
    ...bswap(TMP),
    ...store(),
  ];
};

/**
 * finish(prefixLen, msg, len, out): absorbs msg[0..len) into the state at ST (which has absorbed
 * prefixLen bytes, a multiple of 64), pads, and writes the big-endian digest to out.
 */
function finishBody(): { locals: number; code: number[] } {
  const [PRE, MSG, LEN, OUT, OFF, REST, END, TMP] = [0, 1, 2, 3, 4, 5, 6, 7];
  const c: number[] = [
    // off = 0; while (off + 64 <= len) { compress(msg + off); off += 64 }
    ...i32(0),
    ...set(OFF),
    ...loopUntil(
      [...get(OFF), ...i32(64), ...add, ...get(LEN), 0x4b /* i32.gt_u */],
      [...get(MSG), ...get(OFF), ...add, ...call(F_COMPRESS), ...get(OFF), ...i32(64), ...add, ...set(OFF)],
    ),
    // rest = len - off; the tail in PAD, zeros, 0x80
    ...get(LEN),
    ...get(OFF),
    ...sub,
    ...set(REST),
    ...i32(PAD),
    ...i32(0),
    ...i32(128),
    ...memFill,
    ...i32(PAD),
    ...get(MSG),
    ...get(OFF),
    ...add,
    ...get(REST),
    ...memCopy,
    ...i32(PAD),
    ...get(REST),
    ...add,
    ...i32(0x80),
    ...store8(),
    // end = rest + 9 <= 64 ? 64 : 128
    ...i32(64),
    ...set(END),
    ...get(REST),
    ...i32(9),
    ...add,
    ...i32(64),
    ...leU,
    ...[0x45], // i32.eqz
    ...ifThen,
    ...i32(128),
    ...set(END),
    ...end,
    // bit length, big-endian, in the last 8 bytes: (prefixLen + len) >>> 29, then (prefixLen + len) << 3
    ...bitLengthWord(PAD - 8, [...i32(29), ...shrU]),
    ...bitLengthWord(PAD - 4, [...i32(3), ...shl]),
    ...i32(PAD),
    ...call(F_COMPRESS),
    ...get(END),
    ...i32(128),
    ...eq,
    ...ifThen,
    ...i32(PAD + 64),
    ...call(F_COMPRESS),
    ...end,
  ];
  for (let k = 0; k < 8; k++) {
    c.push(...get(OUT), ...i32(0), ...load(ST + 4 * k), ...bswap(TMP), ...store(4 * k));
  }
  return { locals: 4, code: c };
}

/** The state at ST set from the one at `from` (which has absorbed prefixLen bytes), then finish(...). */
const finishFrom = (from: number, prefixLen: number, msg: number[], len: number[], out: number[]) => [
  ...i32(ST),
  ...i32(from),
  ...i32(32),
  ...memCopy,
  ...i32(prefixLen),
  ...msg,
  ...len,
  ...out,
  ...call(F_FINISH),
];

/** sha(msg, len, out) */
const shaBody = () => ({ locals: 0, code: finishFrom(IV_AT, 0, get(0), get(1), get(2)) });

/** hmac(msg, len, out), with the keyed states at HIN and HOUT */
const hmacBody = () => ({
  locals: 0,
  code: [
    ...finishFrom(HIN, 64, get(0), get(1), i32(MID)),
    ...finishFrom(HOUT, 64, i32(MID), i32(32), get(2)),
  ],
});

/** many(offsets, count, data, out): f(data + offsets[i], offsets[i+1] - offsets[i], out + 32 i) for i < count */
function manyBody(f: number): { locals: number; code: number[] } {
  const [OFFS, COUNT, DATA_AT, OUT, I, P] = [0, 1, 2, 3, 4, 5];
  return {
    locals: 2,
    code: forLoop(I, COUNT, [
      ...get(OFFS),
      ...get(I),
      ...i32(2),
      ...shl,
      ...add,
      ...set(P),
      ...get(DATA_AT),
      ...get(P),
      ...load(),
      ...add,
      ...get(P),
      ...load(4),
      ...get(P),
      ...load(),
      ...sub,
      ...get(OUT),
      ...get(I),
      ...i32(5),
      ...shl,
      ...add,
      ...call(f),
    ]),
  };
}

/** pairs(src, count, dst): dst[j] = SHA-256(0x01 || src[64 j .. 64 j + 64)) for j < count */
function pairsBody(): { locals: number; code: number[] } {
  const [SRC, COUNT, DST, J] = [0, 1, 2, 3];
  return {
    locals: 1,
    code: [
      ...i32(NODE),
      ...i32(1),
      ...store8(),
      ...forLoop(J, COUNT, [
        ...i32(NODE + 1),
        ...get(SRC),
        ...get(J),
        ...i32(6),
        ...shl,
        ...add,
        ...i32(64),
        ...memCopy,
        ...i32(NODE),
        ...i32(65),
        ...get(DST),
        ...get(J),
        ...i32(5),
        ...shl,
        ...add,
        ...call(F_SHA),
      ]),
    ],
  };
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const fns: { params: number; body: { locals: number; code: number[] }; name?: string }[] = [
    { params: 1, body: compressBody(), name: 'compress' },
    { params: 4, body: finishBody() },
    { params: 3, body: shaBody() },
    { params: 3, body: hmacBody() },
    { params: 4, body: manyBody(F_SHA), name: 'shaMany' },
    { params: 4, body: manyBody(F_HMAC), name: 'hmacMany' },
    { params: 3, body: pairsBody(), name: 'pairs' },
  ];
  const arities = [...new Set(fns.map((f) => f.params))];
  const types = arities.map((n) => [0x60, ...uleb(n), ...new Array<number>(n).fill(I32), 0]);
  const exportsList: number[][] = [[...utf8Name('memory'), 2, 0]];
  fns.forEach((f, i) => {
    if (f.name) exportsList.push([...utf8Name(f.name), 0, ...uleb(i)]);
  });
  const codes = fns.map((f) => {
    const locals = f.body.locals > 0 ? vec([[...uleb(f.body.locals), I32]]) : vec([]);
    const body = [...locals, ...f.body.code, ...end];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(fns.map((f) => uleb(arities.indexOf(f.params))))),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec(exportsList)),
    ...section(10, vec(codes)),
  ]);
}

interface Exports {
  memory: WebAssembly.Memory;
  compress(blk: number): void;
  shaMany(offsets: number, count: number, data: number, out: number): void;
  hmacMany(offsets: number, count: number, data: number, out: number): void;
  pairs(src: number, count: number, dst: number): void;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Batches of SHA-256 / HMAC-SHA256 over messages laid end to end, and Merkle node pairs. */
export class WasmSha256 {
  readonly #x: Exports;
  #u8: Uint8Array;

  constructor() {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), {});
    this.#x = instance.exports as unknown as Exports;
    this.#u8 = new Uint8Array(this.#x.memory.buffer);
    const iv = new DataView(this.#x.memory.buffer);
    for (let k = 0; k < 8; k++) iv.setInt32(IV_AT + 4 * k, IV[k]!, true);
  }

  /** The module's memory with at least `bytes` from DATA on. */
  #room(bytes: number): Uint8Array {
    const need = DATA + bytes;
    if (need > this.#u8.length) {
      this.#x.memory.grow(Math.ceil((need - this.#u8.length) / 65536));
      this.#u8 = new Uint8Array(this.#x.memory.buffer);
    }
    return this.#u8;
  }

  /** HMAC key: the padded key blocks compressed once into HIN and HOUT. */
  #key(key: Uint8Array): void {
    const k = key.length > 64 ? this.sha256(key) : key;
    const m = this.#room(64);
    for (const [pad, to] of [
      [0x36, HIN],
      [0x5c, HOUT],
    ] as const) {
      for (let i = 0; i < 64; i++) m[DATA + i] = (i < k.length ? k[i]! : 0) ^ pad;
      m.copyWithin(ST, IV_AT, IV_AT + 32);
      this.#x.compress(DATA);
      m.copyWithin(to, ST, ST + 32);
    }
  }

  sha256(msg: Uint8Array): Uint8Array {
    const out = new Uint8Array(32);
    this.many(false, msg, new Uint32Array([0, msg.length]), 1, out, 0);
    return out;
  }

  /** EachDigest (sha256.ts): SHA-256, or HMAC-SHA256 under `key` when one is given. */
  many(key: Uint8Array | false, ...[data, offsets, count, out, outOff]: Parameters<EachDigest>): void {
    if (key) this.#key(key);
    const bytes = offsets[count]! - offsets[0]!;
    const offAt = DATA;
    const dataAt = offAt + 4 * (count + 1);
    const outAt = dataAt + bytes;
    const m = this.#room(outAt + 32 * count - DATA);
    new Uint32Array(m.buffer, offAt, count + 1).set(offsets.subarray(0, count + 1));
    m.set(data.subarray(offsets[0]!, offsets[count]!), dataAt);
    const base = (dataAt - offsets[0]!) | 0; // + offsets[i] wraps back into range in i32 arithmetic
    if (key) this.#x.hmacMany(offAt, count, base, outAt);
    else this.#x.shaMany(offAt, count, base, outAt);
    out.set(m.subarray(outAt, outAt + 32 * count), outOff);
  }

  /** out[32 j ..) = SHA-256(0x01 || level[64 j .. 64 j + 64)) for j < count; level and out may be one array. */
  pairs(level: Uint8Array, count: number, out: Uint8Array): void {
    const CHUNK = 1 << 15;
    for (let j = 0; j < count; j += CHUNK) {
      const n = Math.min(CHUNK, count - j);
      const m = this.#room(96 * n);
      m.set(level.subarray(64 * j, 64 * (j + n)), DATA);
      this.#x.pairs(DATA, n, DATA + 64 * n);
      out.set(m.subarray(DATA + 64 * n, DATA + 96 * n), 32 * j);
    }
  }
}

/** The module, or undefined where WebAssembly is missing or disabled (then callers use sha256.ts). */
export function loadWasmSha256(): WasmSha256 | undefined {
  if (!LITTLE_ENDIAN || typeof WebAssembly === 'undefined') return undefined;
  try {
    return new WasmSha256();
  } catch {
    return undefined;
  }
}
