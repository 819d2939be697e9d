// The pooled CSPRNG hands out each byte once: no two draws share bytes, and a caller's buffer is its own.
import test from 'ava';
import { cryptoRandom } from '../../src/crypto/random.js';

test('draws across several pool refills never repeat a slice, and large draws bypass the pool', (t) => {
  const seen = new Set<string>();
  for (let i = 0; i < 3000; i++) {
    const b = cryptoRandom.bytes(i % 2 ? 6 : 16);
    t.is(b.length, i % 2 ? 6 : 16);
    const hex = b.toString('hex');
    t.false(seen.has(hex), `draw ${i} repeated an earlier one`);
    seen.add(hex);
  }
  t.is(cryptoRandom.bytes(5000).length, 5000);
});

test('changing a returned buffer does not change the next draw', (t) => {
  const a = cryptoRandom.bytes(8);
  a.fill(0);
  const b = cryptoRandom.bytes(8);
  t.notDeepEqual(b, Buffer.alloc(8));
});
