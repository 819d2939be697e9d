// The birth-year weekday rule (출생연도 5부제) as a resident reads it before applying (in a sale, buying): not the
// rule's weekdays alone, which a window shorter than a week does not all hold, but the days this window still has,
// whose each one is, and the birth years it leaves without a day. Pure: the clock's reading and the translator are passed in.
import { type Campaign, hasDraw } from '../../../domain/campaign.js';
import { rotationCalendar } from '../../../domain/rotation.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import { digitsWords, spanWords, zoneWords } from '../../../i18n/refusal.js';

export interface RotationView {
  /** each stretch of the window's days: when, and who may apply then */
  rows: Array<{ when: string; who: string; iso: string }>;
  /** "4 또는 9, 5 또는 0": birth years with no day left in the window; '' when every one has one */
  none: string;
  /** the window goes on past the days shown, the same days each week */
  repeats: boolean;
  /** the zone the days are in: "한국 표준시" */
  zone: string;
  /** where the sentences are in the catalogue: an instant sale's (public.sale.) say buy, not apply */
  words: 'public.' | 'public.sale.';
}

/** The days left in an open or scheduled campaign's window under the rule; undefined without the rule, or after. */
export function rotationView(
  c: Pick<Campaign, 'eligibility' | 'state' | 'time_zone' | 'opens_at' | 'closes_at' | 'mode'>,
  now: Date,
  t: Translate,
  lang: Lang,
): RotationView | undefined {
  if (!c.eligibility.birth_year_rotation || !['scheduled', 'open'].includes(c.state)) return undefined;
  const cal = rotationCalendar(c, now);
  return {
    rows: cal.rows.map((r) => ({
      when: spanWords(t, r, c.time_zone, lang),
      who:
        r.who === 'everyone'
          ? t('public.rotation_everyone')
          : t('public.rotation_digits', { digits: digitsWords(t, r.who) }),
      iso: r.from.toISOString(),
    })),
    none: cal.none.map((day) => digitsWords(t, day)).join(', '),
    repeats: cal.repeats,
    zone: zoneWords(c.opens_at, c.time_zone, lang),
    words: hasDraw(c.mode) ? 'public.' : 'public.sale.',
  };
}
