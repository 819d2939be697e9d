// when() (i18n/when.ts) without luxon, for the counter's script (browser/counterPage.ts): the same text, e.g.
// 2026-12-01 08:00 (GMT+9), from the browser's own Intl.DateTimeFormat with the campaign's timeZone. luxon is
// most of what the counter would otherwise download for this one format; the server keeps when() and luxon.
// test/i18n-when.test.ts holds the two to the same text, so a time reads the same with and without JavaScript.
import type { Lang } from './catalogue.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** The options luxon's ZZZZ asks Intl for the offset's name with, and the fields of yyyy-MM-dd HH:mm. */
function formatFor(zone: string, lang: Lang): Intl.DateTimeFormat {
  const key = `${lang} ${zone}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    formats.set(key, f);
  }
  return f;
}

export function whenIntl(d: Date, zone: string, lang: Lang): string {
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of formatFor(zone, lang).formatToParts(d)) p[type] = value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} (${p.timeZoneName})`;
}
