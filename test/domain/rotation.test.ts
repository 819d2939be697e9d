// The birth-year weekday rule (출생연도 5부제) against an application window: the times that really come within it,
// for each birth year, and the birth years a short window leaves without a day. All in Seoul time unless named.
import test from 'ava';
import { checkEligibility, refusalParams } from '../../src/domain/eligibility.js';
import {
  mayApplyAt,
  nextTurn,
  rotationCalendar,
  rotationShortfall,
  turnsWithin,
} from '../../src/domain/rotation.js';

const kst = (local: string) => new Date(`${local}+09:00`);
/** The review's case: Monday 7 December 01:00 to Wednesday 9 December 00:58, 2026 (the demo mask campaign's). */
const SHORT = {
  time_zone: 'Asia/Seoul',
  opens_at: kst('2026-12-07T01:00:00'),
  closes_at: kst('2026-12-09T00:58:00'),
};
const rotation = { regions: [], birth_year_rotation: true };

test('the weekday or the weekend, by the campaign zone’s days', (t) => {
  t.true(mayApplyAt('mon', kst('2026-12-07T00:00:00'), 'Asia/Seoul'));
  t.false(mayApplyAt('mon', kst('2026-12-08T00:00:00'), 'Asia/Seoul'));
  t.true(mayApplyAt('wed', kst('2026-12-05T12:00:00'), 'Asia/Seoul'), 'Saturday: anyone');
  t.true(mayApplyAt('wed', kst('2026-12-06T23:59:59'), 'Asia/Seoul'), 'Sunday: anyone');
  // Monday 00:30 in Seoul is still Sunday in UTC: the campaign's zone decides
  t.false(mayApplyAt('fri', kst('2026-12-07T00:30:00'), 'Asia/Seoul'));
});

test('turns join adjoining days (a Friday’s birth years have Friday to Sunday) and are cut to the range', (t) => {
  const from = kst('2026-12-02T15:00:00'); // Wednesday
  const until = kst('2026-12-10T12:00:00'); // the Thursday after
  t.deepEqual(turnsWithin('fri', from, until, 'Asia/Seoul'), [
    { from: kst('2026-12-04T00:00:00'), until: kst('2026-12-07T00:00:00'), weekend: true },
  ]);
  t.deepEqual(turnsWithin('mon', from, until, 'Asia/Seoul'), [
    { from: kst('2026-12-05T00:00:00'), until: kst('2026-12-08T00:00:00'), weekend: true },
  ]);
  t.deepEqual(turnsWithin('wed', from, until, 'Asia/Seoul'), [
    { from, until: kst('2026-12-03T00:00:00'), weekend: false },
    { from: kst('2026-12-05T00:00:00'), until: kst('2026-12-07T00:00:00'), weekend: true },
    { from: kst('2026-12-09T00:00:00'), until: kst('2026-12-10T00:00:00'), weekend: false },
  ]);
  t.deepEqual(turnsWithin('thu', from, until, 'Asia/Seoul', 1), [
    { from: kst('2026-12-03T00:00:00'), until: kst('2026-12-04T00:00:00'), weekend: false },
  ]);
});

test('the next turn starts now when it is under way, later when not, and is none when the window closes first', (t) => {
  const monday = kst('2026-12-07T09:00:00');
  t.deepEqual(nextTurn(SHORT, 'mon', monday), {
    from: monday,
    until: kst('2026-12-08T00:00:00'),
    weekend: false,
  });
  t.deepEqual(nextTurn(SHORT, 'wed', monday), {
    from: kst('2026-12-09T00:00:00'),
    until: SHORT.closes_at,
    weekend: false,
  });
  t.is(nextTurn(SHORT, 'thu', monday), undefined);
  t.is(nextTurn(SHORT, 'fri', monday), undefined);
  t.is(nextTurn(SHORT, 'mon', kst('2026-12-08T09:00:00')), undefined, 'Monday has gone by');
  // before the opening, from the opening
  t.deepEqual(nextTurn(SHORT, 'mon', kst('2026-12-06T20:00:00'))?.from, SHORT.opens_at);
});

test('a refusal carries the next turn within the window, or none: never a day after the close', (t) => {
  const c = { eligibility: rotation, ...SHORT };
  const monday = kst('2026-12-07T09:00:00');
  const wed = checkEligibility(c, { birth_date: '1953-04-01', region: undefined }, monday);
  t.like(wed, { reason: 'wrong_weekday', allowed_day: 'wed', digits: '3, 8' });
  t.deepEqual(wed && refusalParams(wed, c), {
    day: 'wed',
    digits: '3, 8',
    turn_from: '2026-12-08T15:00:00.000Z',
    turn_until: '2026-12-08T15:58:00.000Z',
    turn_weekend: false,
    time_zone: 'Asia/Seoul',
    closes_at: '2026-12-08T15:58:00.000Z',
  });
  const fri = checkEligibility(c, { birth_date: '1955-01-01', region: undefined }, monday);
  t.like(fri, { reason: 'wrong_weekday', allowed_day: 'fri', turn: undefined });
  t.false(fri && 'turn_from' in refusalParams(fri, c), 'no turn to name');
  t.is(checkEligibility(c, { birth_date: '1951-01-01', region: undefined }, monday), undefined);
});

test('the calendar a resident reads: each day and whose it is, the weekend for everyone, who has none', (t) => {
  // on Monday at 09:00: Monday from the opening (the day under way, whole), Tuesday, Wednesday's 58 minutes
  t.deepEqual(rotationCalendar(SHORT, kst('2026-12-07T09:00:00')), {
    rows: [
      { from: SHORT.opens_at, until: kst('2026-12-08T00:00:00'), who: 'mon' },
      { from: kst('2026-12-08T00:00:00'), until: kst('2026-12-09T00:00:00'), who: 'tue' },
      { from: kst('2026-12-09T00:00:00'), until: SHORT.closes_at, who: 'wed' },
    ],
    none: ['thu', 'fri'],
    repeats: false,
  });
  // on Tuesday, Monday has gone: nobody has a day left but 2, 7 and 3, 8
  t.deepEqual(rotationCalendar(SHORT, kst('2026-12-08T12:00:00')), {
    rows: [
      { from: kst('2026-12-08T00:00:00'), until: kst('2026-12-09T00:00:00'), who: 'tue' },
      { from: kst('2026-12-09T00:00:00'), until: SHORT.closes_at, who: 'wed' },
    ],
    none: ['mon', 'thu', 'fri'],
    repeats: false,
  });
  // Thursday to Monday: the weekend gives everyone a day, in one row
  const thuToMon = { ...SHORT, opens_at: kst('2026-12-03T09:00:00'), closes_at: kst('2026-12-07T18:00:00') };
  t.deepEqual(rotationCalendar(thuToMon, thuToMon.opens_at), {
    rows: [
      { from: kst('2026-12-03T09:00:00'), until: kst('2026-12-04T00:00:00'), who: 'thu' },
      { from: kst('2026-12-04T00:00:00'), until: kst('2026-12-05T00:00:00'), who: 'fri' },
      { from: kst('2026-12-05T00:00:00'), until: kst('2026-12-07T00:00:00'), who: 'everyone' },
      { from: kst('2026-12-07T00:00:00'), until: kst('2026-12-07T18:00:00'), who: 'mon' },
    ],
    none: [],
    repeats: false,
  });
  // three weeks: one week of rows, then the same again
  const long = { ...SHORT, closes_at: kst('2026-12-28T00:00:00') };
  const cal = rotationCalendar(long, long.opens_at);
  t.is(cal.rows.length, 6);
  t.true(cal.repeats);
  t.deepEqual(cal.none, []);
});

test('the operator’s shortfall: birth years with no time in the window, or less than a day of it', (t) => {
  const short = rotationShortfall(SHORT);
  t.deepEqual(
    short.map((s) => [s.day, s.total / 60_000]),
    [
      ['mon', 23 * 60],
      ['wed', 58],
      ['thu', 0],
      ['fri', 0],
    ],
  );
  t.deepEqual(short[1]?.turns, [
    { from: kst('2026-12-09T00:00:00'), until: SHORT.closes_at, weekend: false },
  ]);
  const week = { ...SHORT, opens_at: kst('2026-12-07T00:00:00'), closes_at: kst('2026-12-14T00:00:00') };
  t.deepEqual(rotationShortfall(week), [], 'a week from midnight: every birth year has its day');
  const monToFri = { ...SHORT, opens_at: kst('2026-12-07T00:00:00'), closes_at: kst('2026-12-12T00:00:00') };
  t.deepEqual(rotationShortfall(monToFri), [], 'Monday to Friday whole: each has its day');
  const weekend = { ...SHORT, opens_at: kst('2026-12-05T00:00:00'), closes_at: kst('2026-12-07T00:00:00') };
  t.deepEqual(rotationShortfall(weekend), [], 'a weekend: anyone, all of it');
  const year = { ...SHORT, closes_at: kst('2027-12-07T00:00:00') };
  t.deepEqual(rotationShortfall(year), [], 'a year: every day comes, and it is not walked day by day');
});

test('days are the zone’s own across a change to summer time (New York, 8 March 2026)', (t) => {
  const ny = {
    time_zone: 'America/New_York',
    opens_at: new Date('2026-03-06T12:00:00-05:00'), // Friday
    closes_at: new Date('2026-03-10T12:00:00-04:00'), // Tuesday
  };
  // Saturday 00:00 EST to Monday 24:00 EDT: one hour short of three days
  t.deepEqual(nextTurn(ny, 'mon', ny.opens_at), {
    from: new Date('2026-03-07T00:00:00-05:00'),
    until: new Date('2026-03-10T00:00:00-04:00'),
    weekend: true,
  });
});
