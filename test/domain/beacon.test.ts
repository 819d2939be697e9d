// The kind of beacon value a source sentence names, and a value checked and written in that kind's one form.
import test from 'ava';
import { beaconFormatOf, checkBeacon, momentsIn } from '../../src/domain/beacon.js';

test('the kind of value is read from the source sentence', (t) => {
  t.is(
    beaconFormatOf(
      'drand quicknet: the randomness of the first round published after 2026-12-03T09:00:00.000Z',
    ),
    'drand',
  );
  t.is(beaconFormatOf('동행복권 로또 6/45 제1150회 당첨번호 (2026-12-05 추첨)'), 'numbers');
  t.is(beaconFormatOf('The winning numbers of the Powerball draw of 2026-12-05'), 'numbers');
  t.is(beaconFormatOf('NIST randomness beacon, the first pulse after the close'), 'text');
});

test('the moments a sentence names, as written', (t) => {
  const moments = momentsIn(
    'drand quicknet: the first round after 2026-12-03T09:00:00.000Z (not 2026-13-99T99:99Z)',
  );
  t.deepEqual(
    moments.map((m) => [m.text, m.at.toISOString()]),
    [['2026-12-03T09:00:00.000Z', '2026-12-03T09:00:00.000Z']],
  );
  t.deepEqual(momentsIn('당첨번호 (2026-12-05 추첨)'), [], 'a date alone is no moment');
});

test('a value is checked against its kind and written in one form', (t) => {
  const hex = 'ABCDEF01'.repeat(8);
  t.deepEqual(checkBeacon('drand', ` ${hex}\n`), { ok: true, value: hex.toLowerCase() });
  for (const wrong of [`round 1: ${hex}`, hex.slice(1), `"${hex}"`, `${hex}0`, 'g'.repeat(64)])
    t.like(
      checkBeacon('drand', wrong),
      { ok: false, problems: [{ field: 'beacon', key: 'beacon_drand' }] },
      wrong,
    );
  t.deepEqual(checkBeacon('numbers', '07, 12,3\t45'), { ok: true, value: '7 12 3 45' });
  t.like(checkBeacon('numbers', '7 12 3.5'), { ok: false, problems: [{ key: 'beacon_numbers' }] });
  t.deepEqual(checkBeacon('text', ' Cafe\u0301 '), { ok: true, value: 'Café' });
  t.like(checkBeacon('text', '   '), { ok: false, problems: [{ key: 'required' }] });
  t.like(checkBeacon('drand', 'x'.repeat(1001)), {
    ok: false,
    problems: [{ key: 'max_chars', params: { max: 1000 } }],
  });
});
