import { createHash, createHmac } from 'node:crypto';
import test from 'ava';
import fc from 'fast-check';
import {
  hmacSha256Each,
  nodePairs,
  passesKnownAnswers,
  sha256Each,
  wasmHasher,
} from '../../../src/domain/draw/engine/batchHash.js';
import {
  hmacSha256EachJs,
  KeyedHmacSha256,
  nodePairsJs,
  sha256EachJs,
  sha256Js,
} from '../../../src/domain/draw/engine/sha256.js';
import { loadWasmSha256 } from '../../../src/domain/draw/engine/sha256Wasm.js';
import { hmacSha256, md5, sha256 } from '../../../src/domain/draw/hash.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('JS SHA-256 matches node:crypto at every padding boundary', (t) => {
  for (let len = 0; len <= 200; len++) {
    const data = new Uint8Array(len).map((_, i) => (i * 31 + len) & 255);
    t.is(hex(sha256Js(data)), createHash('sha256').update(data).digest('hex'), `length ${len}`);
  }
});

test('JS SHA-256 of "abc" is the FIPS 180-2 vector', (t) => {
  t.is(
    hex(sha256Js(new TextEncoder().encode('abc'))),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});

test('keyed HMAC-SHA256 matches createHmac for any key and message', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 300 }), (key, msg) => {
      const expected = createHmac('sha256', key).update(msg).digest('hex');
      const keyed = new KeyedHmacSha256(key);
      return (
        hex(keyed.mac(msg)) === expected &&
        hex(hmacSha256(key, msg)) === expected &&
        hex(keyed.mac(msg)) === expected
      );
    }),
    { numRuns: 500 },
  );
  t.pass();
});

test('RFC 4231 test case 2 (key "Jefe")', (t) => {
  const enc = new TextEncoder();
  t.is(
    hex(hmacSha256(enc.encode('Jefe'), enc.encode('what do ya want for nothing?'))),
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  );
});

test('sha256 and md5 wrappers', (t) => {
  t.is(hex(sha256(new Uint8Array(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  t.is(hex(md5(new Uint8Array(0))), 'd41d8cd98f00b204e9800998ecf8427e');
});

/** Messages laid end to end, as the batch functions take them. */
function laidOut(messages: Uint8Array[]): { data: Uint8Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(messages.length + 1);
  messages.forEach((m, i) => {
    offsets[i + 1] = offsets[i]! + m.length;
  });
  const data = new Uint8Array(offsets[messages.length]!);
  for (const [i, m] of messages.entries()) data.set(m, offsets[i]!);
  return { data, offsets };
}

test('the WebAssembly module loads under Node and passes its known-answer test (else batches use JS)', (t) => {
  const w = loadWasmSha256();
  t.truthy(w);
  t.true(passesKnownAnswers(w!));
  t.is(wasmHasher(), wasmHasher(), 'compiled once');
  t.truthy(wasmHasher());
});

test('a WebAssembly hasher that computes one wrong digest fails the known-answer test', (t) => {
  const w = loadWasmSha256()!;
  const many = w.many.bind(w);
  // wrong only for the four-lane path: a batch of four equal-length messages
  w.many = (key, data, offsets, count, out, outOff) => {
    many(key, data, offsets, count, out, outOff);
    if (count === 9) out[outOff + 32 * 2] = (out[outOff + 32 * 2]! + 1) & 0xff;
  };
  t.false(passesKnownAnswers(w));
  const pairs = w.pairs.bind(w);
  const w2 = loadWasmSha256()!;
  w2.pairs = (level, count, out) => {
    pairs(level, count, out);
    out[0] = (out[0]! + 1) & 0xff;
  };
  t.false(passesKnownAnswers(w2));
  // a wrong single digest ("abc"), a wrong single MAC (RFC 4231's "Jefe"), or a hasher that throws
  const w3 = loadWasmSha256()!;
  const sha = w3.sha256.bind(w3);
  w3.sha256 = (m) => sha(m).map((x, i) => (i === 31 ? x ^ 1 : x));
  t.false(passesKnownAnswers(w3));
  const w4 = loadWasmSha256()!;
  const many4 = w4.many.bind(w4);
  w4.many = (key, data, offsets, count, out, outOff) => {
    many4(key, data, offsets, count, out, outOff);
    if (count === 1) out[outOff] = (out[outOff]! + 1) & 0xff;
  };
  t.false(passesKnownAnswers(w4));
  const w5 = loadWasmSha256()!;
  w5.pairs = () => {
    throw new RangeError('memory access out of bounds');
  };
  t.false(passesKnownAnswers(w5));
});

test('batch SHA-256: WebAssembly, JS and node:crypto agree at every length and batch position', (t) => {
  const messages = Array.from({ length: 300 }, (_, len) =>
    new Uint8Array(len).map((_, i) => (i * 31 + len) & 255),
  );
  const { data, offsets } = laidOut(messages);
  const viaWasm = new Uint8Array(32 * 301).fill(9);
  const viaJs = new Uint8Array(32 * 301).fill(9);
  sha256Each(data, offsets, messages.length, viaWasm, 32);
  sha256EachJs(data, offsets, messages.length, viaJs, 32);
  t.deepEqual(viaWasm, viaJs);
  t.deepEqual(viaWasm.subarray(0, 32), new Uint8Array(32).fill(9), 'nothing written before outOff');
  messages.forEach((m, i) => {
    t.is(hex(viaWasm.subarray(32 * (i + 1), 32 * (i + 2))), createHash('sha256').update(m).digest('hex'));
  });
});

test('batch HMAC-SHA256 and Merkle pairs: WebAssembly, JS and node:crypto agree for any key and messages', (t) => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 150 }),
      fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }),
      fc.uint8Array({ minLength: 64, maxLength: 64 * 9 }),
      (key, messages, level) => {
        const { data, offsets } = laidOut(messages);
        const a = new Uint8Array(32 * messages.length);
        const b = new Uint8Array(32 * messages.length);
        hmacSha256Each(key, data, offsets, messages.length, a, 0);
        hmacSha256EachJs(key, data, offsets, messages.length, b, 0);
        const macsAgree = messages.every(
          (m, i) =>
            hex(a.subarray(32 * i, 32 * i + 32)) === createHmac('sha256', key).update(m).digest('hex'),
        );
        const pairs = Math.floor(level.length / 64);
        const inPlace = level.slice();
        const js = new Uint8Array(32 * pairs);
        nodePairs(inPlace, pairs, inPlace);
        nodePairsJs(level, pairs, js);
        const pairsAgree = Array.from({ length: pairs }, (_, j) => j).every(
          (j) =>
            hex(js.subarray(32 * j, 32 * j + 32)) ===
            createHash('sha256')
              .update(new Uint8Array([1]))
              .update(level.subarray(64 * j, 64 * j + 64))
              .digest('hex'),
        );
        return (
          hex(a) === hex(b) && macsAgree && pairsAgree && hex(inPlace.subarray(0, 32 * pairs)) === hex(js)
        );
      },
    ),
    { numRuns: 300 },
  );
  t.pass();
});

test('the browser build incremental SHA-256 keeps what it is given, though the caller reuses its buffer', async (t) => {
  const browser = await import('../../../src/browser/drawHash.js');
  const chunk = new Uint8Array(1000);
  const h = browser.sha256Incremental();
  const node = createHash('sha256');
  for (let round = 0; round < 5; round++) {
    chunk.fill(round * 7 + 1);
    h.update(chunk.subarray(0, 600 + round));
    node.update(chunk.subarray(0, 600 + round));
  }
  h.update('é tail');
  node.update('é tail');
  t.is(hex(h.digest()), node.digest('hex'));
  const messages = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(70).fill(9)];
  const { data, offsets } = laidOut(messages);
  const out = new Uint8Array(96);
  sha256EachJs(data, offsets, 3, out, 0);
  t.is(hex(out.subarray(64)), createHash('sha256').update(messages[2]!).digest('hex'));
});
