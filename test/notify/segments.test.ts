// SMS segment counts at the boundaries: GSM-7 160 in one part, 153 per part when split; UCS-2 (Korean) 70 in
// one part, 67 per part; an escape pair or a surrogate pair is never split across parts.
import test from 'ava';
import { smsSegments } from '../../src/notify/segments.js';

const a = (n: number) => 'a'.repeat(n);
const ga = (n: number) => '가'.repeat(n);

test('GSM-7: 160 septets fit one part; 161 need two of 153; 306 two; 307 three', (t) => {
  t.deepEqual(smsSegments(a(160)), { encoding: 'gsm7', units: 160, segments: 1 });
  t.deepEqual(smsSegments(a(161)), { encoding: 'gsm7', units: 161, segments: 2 });
  t.is(smsSegments(a(306)).segments, 2);
  t.is(smsSegments(a(307)).segments, 3);
  t.is(smsSegments(a(459)).segments, 3);
  t.is(smsSegments(a(460)).segments, 4);
  t.deepEqual(smsSegments(''), { encoding: 'gsm7', units: 0, segments: 1 });
});

test('GSM-7 extended characters cost two septets, and the pair is never split', (t) => {
  t.deepEqual(smsSegments(`${a(158)}€`), { encoding: 'gsm7', units: 160, segments: 1 });
  t.deepEqual(smsSegments(`${a(159)}€`), { encoding: 'gsm7', units: 161, segments: 2 });
  // 152 + 2 does not fit a 153-septet part: the pair moves whole to the next part.
  t.is(smsSegments(`${a(152)}€${a(151)}`).segments, 2); // parts of 152 and 153
  t.is(smsSegments(`${a(152)}€${a(152)}`).segments, 3); // 152, 153, 1
  t.is(smsSegments(`${a(151)}€${a(153)}`).segments, 2); // 153 and 153
});

test('UCS-2: 70 units fit one part; 71 need two of 67; 134 two; 135 three', (t) => {
  t.deepEqual(smsSegments(ga(70)), { encoding: 'ucs2', units: 70, segments: 1 });
  t.deepEqual(smsSegments(ga(71)), { encoding: 'ucs2', units: 71, segments: 2 });
  t.is(smsSegments(ga(134)).segments, 2);
  t.is(smsSegments(ga(135)).segments, 3);
  // One character outside GSM-7 makes the whole body UCS-2.
  t.deepEqual(smsSegments(`${a(69)}가`), { encoding: 'ucs2', units: 70, segments: 1 });
  t.deepEqual(smsSegments(`${a(70)}가`), { encoding: 'ucs2', units: 71, segments: 2 });
});

test('UCS-2 counts UTF-16 units and never splits a surrogate pair', (t) => {
  t.deepEqual(smsSegments(`${ga(68)}😀`), { encoding: 'ucs2', units: 70, segments: 1 });
  t.deepEqual(smsSegments(`${ga(69)}😀`), { encoding: 'ucs2', units: 71, segments: 2 });
  // 66 + 2 does not fit a 67-unit part: the emoji moves whole, so 66, 67, 1 is three parts.
  t.is(smsSegments(`${ga(66)}😀${ga(66)}`).segments, 3);
  t.is(smsSegments(`${ga(65)}😀${ga(67)}`).segments, 2);
});
