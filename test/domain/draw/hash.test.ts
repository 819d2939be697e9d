import { createHash, createHmac } from 'node:crypto';
import test from 'ava';
import fc from 'fast-check';
import { hmacSha256, md5, sha256 } from '../../../src/domain/draw/hash.js';
import { KeyedHmacSha256, sha256Js } from '../../../src/domain/draw/sha256.js';

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
