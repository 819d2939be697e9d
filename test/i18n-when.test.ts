// The counter's script writes times without luxon (src/i18n/whenIntl.ts, Intl.DateTimeFormat with the campaign's
// timeZone) so that its bundle stays small; the pages write them with luxon (src/i18n/when.ts). The two must give
// the same text, or a time would read one way in the server's card and another after a press: held here over
// moments the site accepts (2000 to 2099), in zones with summer time, half- and quarter-hour offsets and UTC.
import test from 'ava';
import fc from 'fast-check';
import { LANGS } from '../src/i18n/catalogue.js';
import { when } from '../src/i18n/when.js';
import { whenIntl } from '../src/i18n/whenIntl.js';

const ZONES = [
  'Asia/Seoul',
  'Asia/Tokyo',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/St_Johns',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Adelaide',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Etc/GMT+5',
  'Etc/UTC',
  'UTC',
];

test('the counter writes a moment as the pages do, in every zone and language', (t) => {
  fc.assert(
    fc.property(
      fc.date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-31T23:59:59Z'),
        noInvalidDate: true,
      }),
      fc.constantFrom(...ZONES),
      fc.constantFrom(...LANGS),
      (d, zone, lang) => whenIntl(d, zone, lang) === when(d, zone, lang),
    ),
    { numRuns: 5000 },
  );
  t.is(whenIntl(new Date('2026-12-01T08:00:00+09:00'), 'Asia/Seoul', 'ko'), '2026-12-01 08:00 (GMT+9)');
  t.is(whenIntl(new Date('2026-07-01T00:30:00Z'), 'Europe/London', 'en'), '2026-07-01 01:30 (BST)');
});

test('around a summer-time change the hour and the offset’s name move together, as on the pages', (t) => {
  // Europe/London 2026-03-29 01:00 UTC and America/New_York 2026-11-01 06:00 UTC, a minute apart on each side
  for (const [zone, iso] of [
    ['Europe/London', '2026-03-29T01:00:00Z'],
    ['America/New_York', '2026-11-01T06:00:00Z'],
  ] as const)
    for (const step of [-60_000, 0, 60_000])
      for (const lang of LANGS) {
        const d = new Date(Date.parse(iso) + step);
        t.is(whenIntl(d, zone, lang), when(d, zone, lang), `${zone} ${d.toISOString()} ${lang}`);
      }
});
