// SHA-256 (FIPS 180-4) and HMAC-SHA256 as a small WebAssembly module, written out below instruction by
// instruction (no toolchain, no binary blob: the bytes are built here when the module loads), for hashing
// many short messages per call. Same algorithm as sha256.ts, whose output test/domain/draw/hash.test.ts
// checks it against. Why: the draw hashes about 9 million 64-byte blocks (leaves, Merkle nodes, tickets);
// the JS compression takes about 0.4 us a block, node:crypto costs about 1 us a call, and this module
// about 0.1 us a block with one JS -> wasm call per batch. Deterministic computation only: no imports.
// Libraries were measured first (1M 64-byte messages, one per call, loaded 2-core machine): hash-wasm 1.3 s,
// @noble/hashes 2.2 s, node's one-shot crypto.hash 0.5 s (latin1 out) but HMAC only via createHmac (~1.5 us);
// none hashes a batch per call. batchHash.ts compiles it on first use, runs a known-answer test, and falls back
// to the JS in sha256.ts when either fails; the browser build keeps the JS (its CSP does not allow compiling wasm).
// Over 300 lines on purpose: the module is written out instruction by instruction (no toolchain, no blob).

// Memory layout (bytes): the working state, IV and the keyed HMAC states, a scratch digest, the node
// buffer of a Merkle pair, the padding tail, then data from DATA on (offsets, messages, digests).
const ST = 0;
const IV_AT = 32;
const HIN = 64;
const HOUT = 96;
const MID = 128;
const NODE = 160;
const PAD = 256;
// Four messages at once (i32x4 lanes): the state, IV and keyed states splat to four lanes, the message
// words in lanes (WBUF), the outer HMAC block (WOUT, words 8-15 constant), and four padded messages.
const ST4 = 1024;
const IV4 = 1152;
const HIN4 = 1280;
const HOUT4 = 1408;
const WBUF = 1536;
const WOUT = 1792;
const SCR = 2048;
const LANE = 192; // up to 3 blocks a lane
const DATA = 4096;

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

/** base + (index << shift), both locals */
const scaled = (base: number, index: number, shift: number) => [
  ...get(base),
  ...get(index),
  ...i32(shift),
  ...shl,
  ...add,
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
const F_LOAD4 = 7;
const F_COMPRESS4 = 8;
const F_PREP = 9;
const F_SHA4 = 10;

/**
 * The operations of one SHA-256 compression on a word type: i32 (one message) or i32x4 (four at once).
 * Each takes and returns instruction bytes; x, y, z push their operand.
 */
interface WordOps {
  add: number[];
  xor: number[];
  rotr(x: number[], n: number): number[];
  shr(x: number[], n: number): number[];
  /** (e & f) ^ (~e & g) */
  ch(e: number[], f: number[], g: number[]): number[];
  /** (a & b) ^ (a & c) ^ (b & c) */
  maj(a: number[], b: number[], c: number[]): number[];
  constant(k: number): number[];
  /** push message word i (big-endian) */
  word(i: number): number[];
  /** load the state's word k (at address 0 + offset) / store it (address pushed before the value) */
  stateLoad(k: number): number[];
  stateStore(k: number): number[];
}

/**
 * A compression, fully unrolled: local 0 is the block (or word buffer); locals 1..64 hold w0..w63,
 * 65..72 the working variables, 73 t1. Working variables are renamed each round instead of moved.
 */
function compressCode(o: WordOps): number[] {
  const w = (i: number) => 1 + i;
  const r = (i: number) => 65 + (i & 7);
  const T1 = 73;
  const c: number[] = [];
  for (let i = 0; i < 16; i++) c.push(...o.word(i), ...set(w(i)));
  const sigma = (x: number[], a: number, b: number, last: number[]) => [
    ...o.rotr(x, a),
    ...o.rotr(x, b),
    ...o.xor,
    ...last,
    ...o.xor,
  ];
  for (let k = 0; k < 8; k++) c.push(...o.stateLoad(k), ...set(r(k)));
  for (let i = 0; i < 64; i++) {
    // the message schedule word just before its round: fewer values live at once (fewer spills)
    if (i >= 16) {
      const w15 = get(w(i - 15));
      const w2 = get(w(i - 2));
      c.push(
        ...get(w(i - 16)),
        ...sigma(w15, 7, 18, o.shr(w15, 3)),
        ...o.add,
        ...get(w(i - 7)),
        ...o.add,
        ...sigma(w2, 17, 19, o.shr(w2, 10)),
        ...o.add,
        ...set(w(i)),
      );
    }
    // roles this round: a = r(-i), b = r(1-i), ... h = r(7-i)
    const role = (k: number) => get(r((k - i + 64) & 7));
    const [a, d, e, h] = [0, 3, 4, 7].map((k) => r((k - i + 64) & 7)) as [number, number, number, number];
    // t1 = h + S1(e) + ch(e, f, g) + K[i] + w[i]
    c.push(
      ...get(h),
      ...sigma(get(e), 6, 11, o.rotr(get(e), 25)),
      ...o.add,
      ...o.ch(get(e), role(5), role(6)),
      ...o.add,
      ...o.constant(K[i]!),
      ...o.add,
      ...get(w(i)),
      ...o.add,
      ...set(T1),
    );
    // d += t1; h = t1 + S0(a) + maj(a, b, c)
    c.push(...get(d), ...get(T1), ...o.add, ...set(d));
    c.push(
      ...get(T1),
      ...sigma(get(a), 2, 13, o.rotr(get(a), 22)),
      ...o.add,
      ...o.maj(get(a), role(1), role(2)),
      ...o.add,
      ...set(h),
    );
  }
  for (let k = 0; k < 8; k++)
    c.push(...i32(0), ...o.stateLoad(k), ...get(r(k)), ...o.add, ...o.stateStore(k));
  return c;
}

/** compress(blk): one compression of the block at blk into the state at ST (local 74: scratch). */
function compressBody(): Body {
  const TMP = 74;
  const code = compressCode({
    add,
    xor,
    rotr: (x, n) => [...x, ...i32(n), ...rotr],
    shr: (x, n) => [...x, ...i32(n), ...shrU],
    ch: (e, f, g) => [...g, ...e, ...f, ...g, ...xor, ...and, ...xor],
    maj: (a, b, c) => [...a, ...b, ...and, ...c, ...a, ...b, ...or, ...and, ...or],
    constant: (k) => i32(k),
    word: (i) => [...get(0), ...load(4 * i), ...bswap(TMP)],
    stateLoad: (k) => [...i32(0), ...load(ST + 4 * k)],
    stateStore: (k) => store(ST + 4 * k),
  });
  return { locals: 74, code };
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
  const [MSG, LEN, OUT, OFF, REST, END, TMP] = [1, 2, 3, 4, 5, 6, 7]; // 0: prefixLen (bitLengthWord)
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
      ...scaled(OFFS, I, 2),
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
      ...scaled(OUT, I, 5),
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
        ...scaled(SRC, J, 6),
        ...i32(64),
        ...memCopy,
        ...i32(NODE),
        ...i32(65),
        ...scaled(DST, J, 5),
        ...call(F_SHA),
      ]),
    ],
  };
}

// --- four lanes (WebAssembly SIMD) ----------------------------------------------------------------------

const V128 = 0x7b;
const simd = (op: number) => [0xfd, ...uleb(op)];
const vload = (offset = 0) => [...simd(0x00), 0, ...uleb(offset)];
const vstore = (offset = 0) => [...simd(0x0b), 0, ...uleb(offset)];
const shuffle = (lanes: number[]) => [...simd(0x0d), ...lanes];
const vconst = (word: number) => [
  ...simd(0x0c),
  ...[0, 1, 2, 3].flatMap(() => [0, 8, 16, 24].map((b) => (word >>> b) & 255)),
];
const vor = simd(0x50);
const vxor = simd(0x51);
const bitselect = simd(0x52);
const vshl = simd(0xab);
const vshrU = simd(0xad);
const vadd = simd(0xae);
const vrotr = (x: number[], n: number) => [...x, ...i32(n), ...vshrU, ...x, ...i32(32 - n), ...vshl, ...vor];

/** load4(p0, p1, p2, p3): the 16 big-endian words of the blocks at p0..p3, word i in lanes at WBUF + 16 i. */
function load4Body(): Body {
  const R = (j: number) => 4 + j;
  const [A, B, C, D] = [8, 9, 10, 11];
  // byte-swapped words 0, 1 (SA) or 2, 3 (SB) of two blocks, interleaved; then two words of each pair
  const SA = [3, 2, 1, 0, 19, 18, 17, 16, 7, 6, 5, 4, 23, 22, 21, 20];
  const SB = SA.map((x) => x + 8);
  const LO = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
  const HI = LO.map((x) => x + 8);
  const c: number[] = [];
  for (let g = 0; g < 4; g++) {
    for (let j = 0; j < 4; j++) c.push(...get(j), ...vload(16 * g), ...set(R(j)));
    c.push(...get(R(0)), ...get(R(1)), ...shuffle(SA), ...set(A));
    c.push(...get(R(0)), ...get(R(1)), ...shuffle(SB), ...set(B));
    c.push(...get(R(2)), ...get(R(3)), ...shuffle(SA), ...set(C));
    c.push(...get(R(2)), ...get(R(3)), ...shuffle(SB), ...set(D));
    const out = [
      [A, C, LO],
      [A, C, HI],
      [B, D, LO],
      [B, D, HI],
    ] as const;
    out.forEach(([x, y, lanes], w) => {
      c.push(...i32(0), ...get(x), ...get(y), ...shuffle([...lanes]), ...vstore(WBUF + 16 * (4 * g + w)));
    });
  }
  return { locals: 0, v128: 8, code: c };
}

/** compress4(wbuf): compress() in four lanes, the message words at wbuf, the state at ST4. */
function compress4Body(): Body {
  const code = compressCode({
    add: vadd,
    xor: vxor,
    rotr: vrotr,
    shr: (x, n) => [...x, ...i32(n), ...vshrU],
    ch: (e, f, g) => [...f, ...g, ...e, ...bitselect],
    // a where a = b, else c
    maj: (a, b, c) => [...c, ...a, ...a, ...b, ...vxor, ...bitselect],
    constant: vconst,
    word: (i) => [...get(0), ...vload(16 * i)],
    stateLoad: (k) => [...i32(0), ...vload(ST4 + 16 * k)],
    stateStore: (k) => vstore(ST4 + 16 * k),
  });
  return { locals: 0, v128: 73, code };
}

/**
 * prep(dst, src, len, nb, prefixLen): message src[0..len) padded to nb blocks at dst (dst may be src):
 * zeros, 0x80, and the bit length of prefixLen + len bytes (below 2^29) at the end.
 */
function prepBody(): Body {
  const [DST, SRC, LEN, NB, PRE, TMP] = [0, 1, 2, 3, 4, 5];
  return {
    locals: 1,
    code: [
      ...get(DST),
      ...get(SRC),
      ...get(LEN),
      ...memCopy,
      ...get(DST),
      ...get(LEN),
      ...add,
      ...i32(0),
      ...get(NB),
      ...i32(6),
      ...shl,
      ...get(LEN),
      ...sub,
      ...memFill,
      ...get(DST),
      ...get(LEN),
      ...add,
      ...i32(0x80),
      ...store8(),
      ...scaled(DST, NB, 6),
      ...i32(4),
      ...sub,
      ...get(PRE),
      ...get(LEN),
      ...add,
      ...i32(3),
      ...shl,
      ...bswap(TMP),
      ...store(),
    ],
  };
}

/**
 * sha4(d0, d1, d2, d3, nb, hmac, out): SHA-256 (or, with hmac, HMAC under the key at HIN4/HOUT4) of four
 * messages padded by prep to nb blocks each, digests to out[0..128).
 */
function sha4Body(): Body {
  const [NB, HMAC, OUT, B, TMP] = [4, 5, 6, 7, 8];
  const c: number[] = [
    ...i32(ST4),
    ...i32(HIN4),
    ...i32(IV4),
    ...get(HMAC),
    0x1b, // select
    ...i32(128),
    ...memCopy,
    ...forLoop(B, NB, [
      ...[0, 1, 2, 3].flatMap((j) => [...get(j), ...get(B), ...i32(6), ...shl, ...add]),
      ...call(F_LOAD4),
      ...i32(WBUF),
      ...call(F_COMPRESS4),
    ]),
    ...get(HMAC),
    ...ifThen,
    ...i32(WOUT),
    ...i32(ST4),
    ...i32(128),
    ...memCopy,
    ...i32(ST4),
    ...i32(HOUT4),
    ...i32(128),
    ...memCopy,
    ...i32(WOUT),
    ...call(F_COMPRESS4),
    ...end,
  ];
  for (let j = 0; j < 4; j++) {
    for (let k = 0; k < 8; k++) {
      c.push(...get(OUT), ...i32(0), ...load(ST4 + 16 * k + 4 * j), ...bswap(TMP), ...store(32 * j + 4 * k));
    }
  }
  return { locals: 2, code: c };
}

/** pairs4(src, groups, dst): pairs() four at a time, for 4 * groups pairs. */
function pairs4Body(): Body {
  const [SRC, GROUPS, DST, G] = [0, 1, 2, 3];
  const lane = (j: number) => [
    ...i32(SCR + LANE * j),
    ...i32(1),
    ...store8(),
    ...i32(SCR + LANE * j + 1),
    ...scaled(SRC, G, 8),
    ...i32(64 * j),
    ...add,
    ...i32(64),
    ...memCopy,
    ...i32(SCR + LANE * j),
    ...i32(SCR + LANE * j),
    ...i32(65),
    ...i32(2),
    ...i32(0),
    ...call(F_PREP),
  ];
  return {
    locals: 1,
    code: forLoop(G, GROUPS, [
      ...lane(0),
      ...lane(1),
      ...lane(2),
      ...lane(3),
      ...[0, 1, 2, 3].flatMap((j) => i32(SCR + LANE * j)),
      ...i32(2),
      ...i32(0),
      ...scaled(DST, G, 7),
      ...call(F_SHA4),
    ]),
  };
}

interface Body {
  /** i32 locals after the parameters */
  locals: number;
  /** v128 locals after those */
  v128?: number;
  code: number[];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const fns: { params: number; body: Body; name?: string }[] = [
    { params: 1, body: compressBody(), name: 'compress' },
    { params: 4, body: finishBody() },
    { params: 3, body: shaBody() },
    { params: 3, body: hmacBody() },
    { params: 4, body: manyBody(F_SHA), name: 'shaMany' },
    { params: 4, body: manyBody(F_HMAC), name: 'hmacMany' },
    { params: 3, body: pairsBody(), name: 'pairs' },
    { params: 4, body: load4Body() },
    { params: 1, body: compress4Body() },
    { params: 5, body: prepBody(), name: 'prep' },
    { params: 7, body: sha4Body(), name: 'sha4' },
    { params: 3, body: pairs4Body(), name: 'pairs4' },
  ];
  const arities = [...new Set(fns.map((f) => f.params))];
  const types = arities.map((n) => [0x60, ...uleb(n), ...new Array<number>(n).fill(I32), 0]);
  const exportsList: number[][] = [[...utf8Name('memory'), 2, 0]];
  fns.forEach((f, i) => {
    if (f.name) exportsList.push([...utf8Name(f.name), 0, ...uleb(i)]);
  });
  const codes = fns.map((f) => {
    const decls: number[][] = [];
    if (f.body.locals > 0) decls.push([...uleb(f.body.locals), I32]);
    if (f.body.v128) decls.push([...uleb(f.body.v128), V128]);
    const locals = vec(decls);
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
  prep(dst: number, src: number, len: number, nb: number, prefixLen: number): void;
  sha4(d0: number, d1: number, d2: number, d3: number, nb: number, hmac: number, out: number): void;
  pairs4(src: number, groups: number, dst: number): void;
  shaMany(offsets: number, count: number, data: number, out: number): void;
  hmacMany(offsets: number, count: number, data: number, out: number): void;
  pairs(src: number, count: number, dst: number): void;
}

/** Padded length in blocks of message i (at most 3 for the four-lane path), or 0 when longer. */
function blocks(offsets: Uint32Array, i: number): number {
  const nb = (offsets[i + 1]! - offsets[i]! + 9 + 63) >>> 6;
  return nb <= 3 ? nb : 0;
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
    const m = new DataView(this.#x.memory.buffer);
    for (let k = 0; k < 8; k++) {
      m.setInt32(IV_AT + 4 * k, IV[k]!, true);
      for (let j = 0; j < 4; j++) m.setInt32(IV4 + 16 * k + 4 * j, IV[k]!, true);
    }
    // the outer HMAC block after the 32-byte inner digest: 0x80, zeros, bit length (64 + 32) * 8
    for (let j = 0; j < 4; j++) {
      m.setInt32(WOUT + 16 * 8 + 4 * j, 0x80000000 | 0, true);
      m.setInt32(WOUT + 16 * 15 + 4 * j, 768, true);
    }
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
    const v = new DataView(m.buffer);
    for (let k = 0; k < 8; k++) {
      for (let j = 0; j < 4; j++) {
        v.setInt32(HIN4 + 16 * k + 4 * j, v.getInt32(HIN + 4 * k, true), true);
        v.setInt32(HOUT4 + 16 * k + 4 * j, v.getInt32(HOUT + 4 * k, true), true);
      }
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
    const one = key ? this.#x.hmacMany : this.#x.shaMany;
    const prefixLen = key ? 64 : 0;
    // Four messages at a time where their padded lengths agree (and are at most three blocks), else one.
    let i = 0;
    while (i + 4 <= count) {
      const nb = blocks(offsets, i);
      if (
        nb > 0 &&
        nb === blocks(offsets, i + 1) &&
        nb === blocks(offsets, i + 2) &&
        nb === blocks(offsets, i + 3)
      ) {
        for (let j = 0; j < 4; j++) {
          const from = offsets[i + j]!;
          this.#x.prep(SCR + LANE * j, (base + from) | 0, offsets[i + j + 1]! - from, nb, prefixLen);
        }
        this.#x.sha4(SCR, SCR + LANE, SCR + 2 * LANE, SCR + 3 * LANE, nb, key ? 1 : 0, outAt + 32 * i);
        i += 4;
      } else {
        one(offAt + 4 * i, 1, base, outAt + 32 * i);
        i++;
      }
    }
    if (i < count) one(offAt + 4 * i, count - i, base, outAt + 32 * i);
    out.set(m.subarray(outAt, outAt + 32 * count), outOff);
  }

  /** out[32 j ..) = SHA-256(0x01 || level[64 j .. 64 j + 64)) for j < count; level and out may be one array. */
  pairs(level: Uint8Array, count: number, out: Uint8Array): void {
    const CHUNK = 1 << 15;
    for (let j = 0; j < count; j += CHUNK) {
      const n = Math.min(CHUNK, count - j);
      const m = this.#room(96 * n);
      m.set(level.subarray(64 * j, 64 * (j + n)), DATA);
      const groups = n >>> 2;
      this.#x.pairs4(DATA, groups, DATA + 64 * n);
      this.#x.pairs(DATA + 256 * groups, n - 4 * groups, DATA + 64 * n + 128 * groups);
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
