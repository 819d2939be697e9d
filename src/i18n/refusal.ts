// A refusal to apply in plain words, the same on the application page, in the SMS reply and in the page a resident
// sees before filling in the form: the catalogue's sentence for its reason (eligibility.<reason>) filled in from the
// refusal's details (domain/eligibility.ts refusalParams). For the birth-year weekday rule that is the next time
// within the window the person may apply, with its dates and times in the campaign's zone, or that none comes.
import { DateTime } from 'luxon';
import type { Span } from '../domain/rotation.js';
import type { Lang, Translate } from './catalogue.js';

const LOCALE: Record<Lang, string> = { ko: 'ko-KR', en: 'en-GB' };
/** a day as people say it: "12월 4일(금)", "Friday 4 December" */
const DAY: Record<Lang, string> = { ko: 'M월 d일(ccc)', en: 'cccc d MMMM' };

const at = (d: Date, zone: string, lang: Lang) => DateTime.fromJSDate(d, { zone }).setLocale(LOCALE[lang]);

/** "한국 표준시", "Korean Standard Time": the zone's name at a moment (summer time has its own). */
export function zoneWords(d: Date, zone: string, lang: Lang): string {
  return at(d, zone, lang).toFormat('ZZZZZ');
}

/** A moment with its day and time: "12월 3일(수) 00:58". */
export function momentWords(d: Date, zone: string, lang: Lang): string {
  return at(d, zone, lang).toFormat(`${DAY[lang]} HH:mm`);
}

/** The end of a span: midnight is the day before's 24:00. */
function endOf(d: Date, zone: string, lang: Lang) {
  const until = at(d, zone, lang);
  return until.toFormat('HH:mm') === '00:00'
    ? { until: until.minus({ days: 1 }), untilTime: '24:00' }
    : { until, untilTime: until.toFormat('HH:mm') };
}

/** Until when, with the zone: "12월 2일(수) 24:00 (한국 표준시)". */
export function endInZone(t: Translate, d: Date, zone: string, lang: Lang): string {
  const { until, untilTime } = endOf(d, zone, lang);
  return t('eligibility.in_zone', {
    span: `${until.toFormat(DAY[lang])} ${untilTime}`,
    zone: zoneWords(d, zone, lang),
  });
}

/**
 * A span in words, without its zone: "12월 1일(화) 01:00부터 24:00까지", "12월 5일(토) 00:00부터 12월 6일(일)
 * 24:00까지"; "Tuesday 1 December, 01:00 to 24:00". An end at midnight is the day before's 24:00, so a whole day
 * reads as that day, not as the next one's first minute.
 */
export function spanWords(t: Translate, s: Span, zone: string, lang: Lang): string {
  const from = at(s.from, zone, lang);
  const { until, untilTime } = endOf(s.until, zone, lang);
  if (from.hasSame(until, 'day'))
    return t('eligibility.span_day', {
      date: from.toFormat(DAY[lang]),
      from: from.toFormat('HH:mm'),
      until: untilTime,
    });
  return t('eligibility.span_days', {
    from: `${from.toFormat(DAY[lang])} ${from.toFormat('HH:mm')}`,
    until: `${until.toFormat(DAY[lang])} ${untilTime}`,
  });
}

/** A span with the zone named once: "12월 1일(화) 01:00부터 24:00까지 (한국 표준시)". */
export function spanInZone(t: Translate, s: Span, zone: string, lang: Lang): string {
  return t('eligibility.in_zone', { span: spanWords(t, s, zone, lang), zone: zoneWords(s.from, zone, lang) });
}

/** "5 또는 0", "5 or 0". */
export function digitsWords(t: Translate, day: string): string {
  return t(`eligibility.digits.${day}`);
}

/**
 * The birth-year weekday refusal: the rule for the person's birth years, then the next time they may apply within
 * the window (with a word on the weekend when the time holds one), or that the campaign has none for them.
 */
function weekdayWords(t: Translate, lang: Lang, d: Record<string, unknown>, at: string): string {
  const zone = String(d.time_zone ?? 'Asia/Seoul');
  const base = { digits: digitsWords(t, String(d.day)), day: t(`eligibility.days.${d.day}`) };
  if (typeof d.turn_from === 'string' && typeof d.turn_until === 'string') {
    const turn = { from: new Date(d.turn_from), until: new Date(d.turn_until) };
    const text = t(`${at}wrong_weekday`, { ...base, turn: spanInZone(t, turn, zone, lang) });
    return d.turn_weekend ? `${text} ${t(`${at}weekend_anyone`)}` : text;
  }
  const closes = new Date(String(d.closes_at));
  return t(`${at}wrong_weekday_none`, {
    ...base,
    closes: t('eligibility.in_zone', {
      span: momentWords(closes, zone, lang),
      zone: zoneWords(closes, zone, lang),
    }),
  });
}

/** Whether the weekday refusal says the campaign has no day left for the person (then: whom to ask). */
export function noDayLeft(d: Record<string, unknown>): boolean {
  return d.reason === 'wrong_weekday' && typeof d.turn_from !== 'string';
}

/**
 * A not_eligible refusal's details in the reader's words; `sale`: a join of an instant sale's queue refused, said as
 * buying (구매), not applying (its words are eligibility.sale.<reason>).
 */
export function refusalWords(
  t: Translate,
  lang: Lang,
  details: Record<string, unknown>,
  o: { sale?: boolean } = {},
): string {
  const at = o.sale ? 'eligibility.sale.' : 'eligibility.';
  if (details.reason === 'wrong_weekday') return weekdayWords(t, lang, details, at);
  const params = Object.fromEntries(
    Object.entries(details).filter((e): e is [string, string | number] =>
      ['string', 'number'].includes(typeof e[1]),
    ),
  );
  return t(`${at}${details.reason}`, params);
}
