// The birth-year weekday refusal in words, Korean and English: the next time within the window with its dates and
// times in the campaign's zone, a word on the weekend only when that time holds one, or that no day comes.
import test from 'ava';
import { translator } from '../src/i18n/catalogue.js';
import { endInZone, noDayLeft, refusalWords, spanWords } from '../src/i18n/refusal.js';

const ko = translator('ko');
const en = translator('en');
const kst = (local: string) => new Date(`${local}+09:00`);
const zone = 'Asia/Seoul';

test('a span reads as one day with its hours, or from one day to another; midnight ends the day before at 24:00', (t) => {
  const day = { from: kst('2026-12-07T01:00:00'), until: kst('2026-12-08T00:00:00') };
  t.is(spanWords(ko, day, zone, 'ko'), '12월 7일(월) 01:00부터 24:00까지');
  t.is(spanWords(en, day, zone, 'en'), 'Monday 7 December, 01:00 to 24:00');
  const minutes = { from: kst('2026-12-09T00:00:00'), until: kst('2026-12-09T00:58:00') };
  t.is(spanWords(ko, minutes, zone, 'ko'), '12월 9일(수) 00:00부터 00:58까지');
  const weekend = { from: kst('2026-12-04T00:00:00'), until: kst('2026-12-07T00:00:00') };
  t.is(spanWords(ko, weekend, zone, 'ko'), '12월 4일(금) 00:00부터 12월 6일(일) 24:00까지');
  t.is(spanWords(en, weekend, zone, 'en'), 'Friday 4 December 00:00 to Sunday 6 December 24:00');
  t.is(endInZone(ko, kst('2026-12-08T00:00:00'), zone, 'ko'), '12월 7일(월) 24:00 (한국 표준시)');
});

const wednesday = {
  reason: 'wrong_weekday',
  day: 'wed',
  digits: '3, 8',
  turn_from: '2026-12-08T15:00:00.000Z',
  turn_until: '2026-12-08T15:58:00.000Z',
  turn_weekend: false,
  time_zone: zone,
  closes_at: '2026-12-08T15:58:00.000Z',
};

test('the next turn within the window, in both languages ("3 or 8", not "3, 8")', (t) => {
  t.is(
    refusalWords(ko, 'ko', wednesday),
    '출생연도 끝자리가 3 또는 8인 분은 평일 중 수요일에만 신청할 수 있습니다(출생연도 5부제). ' +
      '다음 신청 가능 시간: 12월 9일(수) 00:00부터 00:58까지 (한국 표준시).',
  );
  t.is(
    refusalWords(en, 'en', wednesday),
    'On weekdays, people whose birth year ends in 3 or 8 may apply only on Wednesday (the birth-year weekday rule). ' +
      'Your next time to apply: Wednesday 9 December, 00:00 to 00:58 (Korean Standard Time).',
  );
  t.false(noDayLeft(wednesday));
});

test('a turn that holds a weekend says anyone may apply then; one that does not, says nothing of weekends', (t) => {
  const friday = {
    ...wednesday,
    day: 'fri',
    digits: '5, 0',
    turn_from: '2026-12-03T15:00:00.000Z',
    turn_until: '2026-12-06T15:00:00.000Z',
    turn_weekend: true,
    closes_at: '2026-12-10T09:00:00.000Z',
  };
  t.regex(
    refusalWords(ko, 'ko', friday),
    /12월 4일\(금\) 00:00부터 12월 6일\(일\) 24:00까지 \(한국 표준시\)\. 주말에는 누구나 신청할 수 있습니다\.$/,
  );
  t.regex(refusalWords(en, 'en', friday), /Anyone may apply at the weekend\.$/);
  t.notRegex(refusalWords(ko, 'ko', wednesday), /주말/);
  t.notRegex(refusalWords(en, 'en', wednesday), /weekend\./);
});

test('no turn before the close: this campaign has no day for them, and no day outside the window is offered', (t) => {
  const none = {
    reason: 'wrong_weekday',
    day: 'fri',
    digits: '5, 0',
    time_zone: zone,
    closes_at: '2026-12-08T15:58:00.000Z',
  };
  t.true(noDayLeft(none));
  t.is(
    refusalWords(ko, 'ko', none),
    '출생연도 끝자리가 5 또는 0인 분은 평일 중 금요일에만 신청할 수 있습니다(출생연도 5부제). ' +
      '이 사업은 12월 9일(수) 00:58 (한국 표준시)에 신청을 마감하는데, 그때까지 금요일도 주말도 남아 있지 않아 ' +
      '이 사업에는 신청할 수 있는 날이 없습니다.',
  );
  t.is(
    refusalWords(en, 'en', none),
    'On weekdays, people whose birth year ends in 5 or 0 may apply only on Friday (the birth-year weekday rule). ' +
      'Applications for this campaign close Wednesday 9 December 00:58 (Korean Standard Time), and neither a Friday ' +
      'nor a weekend comes before then, so this campaign has no day on which you can apply.',
  );
});

test('other refusals keep their sentences', (t) => {
  t.is(refusalWords(ko, 'ko', { reason: 'too_young', min_age: 19 }), '만 19세 이상만 신청할 수 있습니다.');
  t.is(
    refusalWords(en, 'en', { reason: 'region_not_eligible', regions: '중구, 동구' }),
    'This campaign is only for residents of 중구, 동구.',
  );
});
