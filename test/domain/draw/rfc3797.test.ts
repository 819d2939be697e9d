import test from 'ava';
import { canonicalSource, rfc3797Key, rfc3797Select } from '../../../src/domain/draw/rfc3797.js';

// RFC 3797 section 6: three sources, a pool of 25 volunteers, 10 selected.
const sources = ['9319', '2 5 12 8 10', '9 18 26 34 41 45'];

test('the RFC 3797 section 6 key', (t) => {
  t.is(rfc3797Key(sources), '9319./2.5.8.10.12./9.18.26.34.41.45./');
});

test('the RFC 3797 section 6 selection: 17 7 2 16 25 23 8 24 19 13', (t) => {
  t.deepEqual(rfc3797Select(25, 10, sources), [17, 7, 2, 16, 25, 23, 8, 24, 19, 13]);
});

test('source canonical forms', (t) => {
  t.is(canonicalSource('010 2,3'), '2.3.10./');
  t.throws(() => canonicalSource('1.250 3'), { message: /whole numbers/ });
  t.is(canonicalSource('Mažňák!'), 'MAZNAK/');
});

test('bad pool and pick are refused', (t) => {
  t.throws(() => rfc3797Select(5, 6, sources), { message: /pick/ });
  t.throws(() => rfc3797Select(0, 0, sources), { message: /pool/ });
  t.throws(() => rfc3797Select(5, 1, []), { message: /source/ });
});
