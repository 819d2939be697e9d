// The kind of beacon value a source sentence names, and a value checked and written in that kind's one form.
import test from 'ava';
import { beaconFormatOf, checkBeacon, momentsIn, namedBeforeClose } from '../../src/domain/beacon.js';

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

test('a source naming a moment before the close is named back; a bare date counts once it is over everywhere', (t) => {
  const close = new Date('2026-12-05T09:00:00Z'); // 18:00 in Seoul
  t.is(
    namedBeforeClose('drand quicknet: the first round after 2026-12-04T09:00:00.000Z', close),
    '2026-12-04T09:00:00.000Z',
  );
  t.is(namedBeforeClose('drand quicknet: the first round after 2026-12-05T09:00:00.000Z', close), undefined);
  t.is(namedBeforeClose('동행복권 로또 6/45 제1149회 당첨번호 (2026-12-03 추첨)', close), '2026-12-03');
  t.is(
    namedBeforeClose('동행복권 로또 6/45 제1150회 당첨번호 (2026-12-04 추첨)', close),
    undefined,
    'the day before the close is not over everywhere by 18:00 in Seoul',
  );
  t.is(namedBeforeClose('동행복권 로또 6/45 제1151회 당첨번호 (2026-12-12 추첨)', close), undefined);
  t.is(namedBeforeClose('NIST randomness beacon, the first pulse after the close', close), undefined);
});
