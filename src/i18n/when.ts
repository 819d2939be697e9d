// A moment as the site shows it, e.g. 2026-12-01 08:00 (GMT+9): the wall-clock time in the campaign's zone with
// the offset named, for the pages (http/render.ts), notices and SMS replies. The counter's script prints the same
// text without luxon (whenIntl.ts; test/i18n-when.test.ts keeps the two alike), so a time reads the same with
// and without JavaScript.
import { DateTime } from 'luxon';
import type { Lang } from './catalogue.js';

export function when(d: Date, zone: string, lang: Lang): string {
  return formatIn(d, zone, lang, 'yyyy-MM-dd HH:mm (ZZZZ)');
}

/** A moment in a zone by a luxon pattern (e.g. 'HH:mm'; 'ZZZZ' is the offset's name), in the reader's locale. */
export function formatIn(d: Date, zone: string, lang: Lang, pattern: string): string {
  return DateTime.fromJSDate(d, { zone })
    .setLocale(lang === 'ko' ? 'ko-KR' : 'en-GB')
    .toFormat(pattern);
}
