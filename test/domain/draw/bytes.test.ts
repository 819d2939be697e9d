// The draw's byte helpers (no Buffer, so they run in a browser) agree with node's Buffer, and refuse what is
// not theirs to read.
import test from 'ava';
import fc from 'fast-check';
import {
  compareBytes,
  compareUtf8,
  fromHex,
  int32View,
  isHexOf,
  isLowerHex,
  toHexRecords,
  u32be,
} from '../../../src/domain/draw/bytes.js';

const sign = (n: number) => Math.sign(n);

test('isHexOf is "s is the lowercase hex of the range", compared without building it', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(), fc.string({ maxLength: 80 }), (b, cut, other) => {
      const from = b.length ? cut % b.length : 0;
      const len = b.length - from;
      const hex = Buffer.from(b.subarray(from)).toString('hex');
      return (
        isHexOf(hex, b, from, len) &&
        isHexOf(other, b, from, len) === (other === hex) &&
        (len === 0 || !isHexOf(hex.toUpperCase().replace(/^./, 'X'), b, from, len))
      );
    }),
  );
  const b = Uint8Array.of(0xab, 0xcd);
  t.true(isHexOf('abcd', b, 0, 2));
  t.false(isHexOf('abce', b, 0, 2), 'the last digit differs');
  t.false(isHexOf('bbcd', b, 0, 2), 'the first digit differs');
  t.false(isHexOf('ABCD', b, 0, 2), 'uppercase is not the form');
  t.false(isHexOf('abc', b, 0, 2));
  t.false(isHexOf(0xabcd, b, 0, 2), 'not a string');
});

test('fromHex reads either case and refuses odd lengths and other characters; isLowerHex checks the form', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
      const hex = Buffer.from(b).toString('hex');
      return (
        Buffer.from(fromHex(hex)).equals(Buffer.from(b)) &&
        Buffer.from(fromHex(hex.toUpperCase())).equals(Buffer.from(b)) &&
        isLowerHex(hex) &&
        isLowerHex(hex, b.length) &&
        !isLowerHex(hex, b.length + 1)
      );
    }),
  );
  for (const bad of ['abc', 'zz', '0x12', ' 12'])
    t.throws(() => fromHex(bad), { instanceOf: TypeError }, bad);
  for (const bad of ['ABCD', 'abc', 'g0', 12]) t.false(isLowerHex(bad), String(bad));
  t.deepEqual(toHexRecords(Uint8Array.of(1, 2, 254, 255), 2), ['0102', 'feff']);
});

test('compareBytes and compareUtf8 order as Buffer.compare does (a prefix first; code points, not UTF-16)', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
      const joined = Uint8Array.of(...a, ...b);
      return (
        sign(compareBytes(a, b)) === Buffer.compare(a, b) &&
        sign(compareBytes(a, joined)) === Buffer.compare(a, joined)
      );
    }),
  );
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
      return sign(compareUtf8(a, b)) === Buffer.compare(Buffer.from(a), Buffer.from(b));
    }),
  );
  t.true(compareUtf8('\uFF21', '\u{1F600}') < 0, 'U+FF21 before U+1F600, though its UTF-16 unit is larger');
  t.true(compareBytes(Uint8Array.of(1), Uint8Array.of(1, 0)) < 0);
});

test('int32View reads the same words whether or not the bytes start on a word boundary', (t) => {
  const buffer = new Uint8Array(13).map((_, i) => i * 17);
  const aligned = buffer.subarray(4, 12);
  const unaligned = buffer.subarray(1, 9);
  t.true(int32View(aligned).buffer === buffer.buffer, 'aligned: a view, no copy');
  t.false(int32View(unaligned).buffer === buffer.buffer, 'unaligned: a copy');
  const words = (b: Uint8Array) =>
    Array.from({ length: b.length / 4 }, (_, i) => Buffer.from(b).readInt32LE(4 * i));
  t.deepEqual(Array.from(int32View(aligned)), words(aligned));
  t.deepEqual(Array.from(int32View(unaligned)), words(unaligned));
});

test('u32be writes 0..2^32-1 big-endian and refuses anything else', (t) => {
  t.deepEqual(u32be(0x01020304), Uint8Array.of(1, 2, 3, 4));
  t.deepEqual(u32be(0xffffffff), Uint8Array.of(255, 255, 255, 255));
  for (const bad of [-1, 2 ** 32, 1.5, Number.NaN]) t.throws(() => u32be(bad), { instanceOf: RangeError });
});
