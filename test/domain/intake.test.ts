// Pure intake rules: eligibility (region, age, the 2020 birth-year rotation), request checks, ids, SMS parsing.
import test from 'ava';
import { otpFromBytes, publicIdFromBytes, validateRequest } from '../../src/domain/application.js';
import { checkEligibility, rotationDay } from '../../src/domain/eligibility.js';
import { normaliseBirthDate, normalisePhone } from '../../src/domain/identity.js';
import { parseSmsCommand } from '../../src/domain/smsCommand.js';

/** A window of more than a week (Monday 30 November to Tuesday 8 December 2026, Seoul): every weekday comes. */
const WEEK = {
  opens_at: new Date('2026-11-30T09:00:00+09:00'),
  closes_at: new Date('2026-12-08T18:00:00+09:00'),
};
const masks = { eligibility: { regions: [], birth_year_rotation: true }, time_zone: 'Asia/Seoul', ...WEEK };

test('birth-year rotation: 1/6 Mon, 2/7 Tue, 3/8 Wed, 4/9 Thu, 5/0 Fri, anyone at the weekend (Seoul time)', (t) => {
  t.deepEqual([1981, 1986, 1992, 1997, 2003, 1958, 1964, 1949, 1975, 1990].map(rotationDay), [
    'mon',
    'mon',
    'tue',
    'tue',
    'wed',
    'wed',
    'thu',
    'thu',
    'fri',
    'fri',
  ]);
  // 2026-12-07 is a Monday in Seoul; 2026-12-06T16:00Z is already Monday 01:00 there
  const monday = new Date('2026-12-06T16:00:00Z');
  t.is(checkEligibility(masks, { birth_date: '1981-01-01', region: undefined }, monday), undefined);
  const refused = checkEligibility(masks, { birth_date: '1982-01-01', region: undefined }, monday);
  t.deepEqual(refused, {
    reason: 'wrong_weekday',
    allowed_day: 'tue',
    digits: '2, 7',
    // the next Tuesday, the whole of it, in Seoul
    turn: {
      from: new Date('2026-12-08T00:00:00+09:00'),
      until: new Date('2026-12-08T18:00:00+09:00'),
      weekend: false,
    },
  });
  const saturday = new Date('2026-12-05T03:00:00Z');
  t.is(checkEligibility(masks, { birth_date: '1982-01-01', region: undefined }, saturday), undefined);
});

test('region and age limits, with the reason', (t) => {
  const c = {
    eligibility: { regions: ['중구'], min_age: 65, birth_year_rotation: false },
    time_zone: 'Asia/Seoul',
    ...WEEK,
  };
  const now = new Date('2026-12-01T00:00:00Z');
  t.is(checkEligibility(c, { birth_date: '1950-01-01', region: undefined }, now)?.reason, 'region_required');
  t.is(checkEligibility(c, { birth_date: '1950-01-01', region: '동구' }, now)?.reason, 'region_not_eligible');
  t.is(checkEligibility(c, { birth_date: '1962-12-02', region: '중구' }, now)?.reason, 'too_young');
  t.is(checkEligibility(c, { birth_date: '1961-12-01', region: '중구' }, now), undefined);
});

test('requests: denomination, limit, sites, groups', (t) => {
  const c = {
    denomination: 10_000,
    per_person_max: 250_000,
    groups: [{ name: '어르신', reserved: 0, weight: 2 }],
    unit: 'KRW' as const,
  };
  const none = new Set<string>();
  t.deepEqual(validateRequest(c, none, { amount: 100_000, sites: [], group: '어르신' }), {});
  t.truthy(validateRequest(c, none, { amount: 105_000, sites: [], group: '' }).amount);
  t.truthy(validateRequest(c, none, { amount: 260_000, sites: [], group: '' }).amount);
  t.truthy(validateRequest(c, none, { amount: 10_000, sites: [], group: 'VIP' }).group);
  t.truthy(validateRequest(c, none, { amount: 10_000, sites: ['X'], group: '' }).sites);
  const sites = new Set(['N', 'S', 'E', 'W', 'C', 'X', 'Y']);
  const pick = (list: string[]) =>
    validateRequest(c, sites, { amount: 10_000, sites: list, group: '' }).sites;
  t.is(pick([]), 'Choose at least one pickup site');
  t.is(pick(['N', 'S', 'N']), 'Each pickup site may be ranked only once');
  t.regex(pick([...sites]) ?? '', /^Choose at most \d+ pickup sites$/);
  t.is(pick(['N', 'S']), undefined);
});

test('public ids and codes come from the bytes given', (t) => {
  t.is(publicIdFromBytes(Buffer.alloc(6, 0)), 'A000000000');
  t.regex(publicIdFromBytes(Buffer.from('ffffffffffff', 'hex')), /^AZZZZZZZZZ$/);
  t.is(otpFromBytes(Buffer.alloc(8, 0)), '000000');
  t.regex(otpFromBytes(Buffer.from('0123456789abcdef', 'hex')), /^\d{6}$/);
});

test('phones and birth dates are normalised', (t) => {
  t.is(normalisePhone('010-1234-5678'), '+821012345678');
  t.is(normalisePhone('+82 10 1234 5678'), '+821012345678');
  t.is(normalisePhone('02-123-4567'), undefined);
  const today = new Date('2026-12-01T00:00:00Z');
  t.is(normaliseBirthDate('19820315', today), '1982-03-15');
  t.is(normaliseBirthDate('1982-02-30', today), undefined);
  t.is(normaliseBirthDate('20300101', today), undefined);
});

test('SMS commands in Korean and English', (t) => {
  t.deepEqual(parseSmsCommand('신청 TY2612 100000 19820315'), {
    kind: 'apply',
    code: 'TY2612',
    amount: 100000,
    birthDate: '19820315',
    sites: [],
    lang: 'ko',
  });
  t.like(parseSmsCommand('apply ty2612 100,000원 19820315 PH-1'), {
    kind: 'apply',
    code: 'TY2612',
    amount: 100000,
    sites: ['PH-1'],
    lang: 'en',
  });
  t.like(parseSmsCommand('상태'), { kind: 'status', lang: 'ko' });
  t.like(parseSmsCommand('CANCEL TY2612'), { kind: 'cancel', code: 'TY2612', lang: 'en' });
  t.like(parseSmsCommand('도움말'), { kind: 'help', lang: 'ko' });
  t.like(parseSmsCommand('신청 TY2612'), { kind: 'unknown', problem: 'bad_apply' });
  // Not a command: answered in the language the text was written in (Korean for an empty message).
  t.deepEqual(parseSmsCommand('  '), { kind: 'unknown', lang: 'ko', problem: 'unknown_command' });
  t.deepEqual(parseSmsCommand('hello there'), { kind: 'unknown', lang: 'en', problem: 'unknown_command' });
  t.deepEqual(parseSmsCommand('안녕 TY2612'), { kind: 'unknown', lang: 'ko', problem: 'unknown_command' });
});
