// The operator's warning when the birth-year weekday rule (출생연도 5부제) and the application window do not fit: a
// window shorter than a week, or one that opens or closes inside someone's day, leaves some birth years no day to
// apply on, or minutes of one. A warning, not a refusal: the operator may mean it (a campaign run over a few weekdays
// on purpose), residents are told their own times (or that they have none, and whom to ask) before they fill in the
// form, and a half-set-up draft must still save. The form shows it as the values stand; the overview as saved.
import { DateTime, IANAZone } from 'luxon';
import { type Campaign, type CampaignMode, hasDraw } from '../../../domain/campaign.js';
import { type RotationWindow, rotationShortfall } from '../../../domain/rotation.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import { digitsWords, spanWords } from '../../../i18n/refusal.js';
import type { CampaignFormValues } from './form.js';
import { toInstant } from './schema.js';

export interface RotationWarning {
  /** one line per birth year treated short: none at all, or how little and when */
  lines: string[];
  /** where the title and advice are in the catalogue: a sale's say buy and sale period, not apply */
  words: RotationWords;
}

type RotationWords = 'admin.rotation_warning.' | 'admin.rotation_warning.sale.';
const wordsOf = (mode: CampaignMode): RotationWords =>
  hasDraw(mode) ? 'admin.rotation_warning.' : 'admin.rotation_warning.sale.';

/** "23시간", "58분", "1 hour 30 minutes". */
function lengthWords(t: Translate, ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const part = (n: number, unit: string) => t(n === 1 ? `countdown.${unit}` : `countdown.${unit}s`, { n });
  return [h ? part(h, 'hour') : '', m || !h ? part(m, 'minute') : ''].filter(Boolean).join(' ');
}

/** What the rule leaves short in this window, in the page's words; undefined when every birth year has a day. */
export function rotationWarning(
  w: RotationWindow,
  mode: CampaignMode,
  t: Translate,
  lang: Lang,
): RotationWarning | undefined {
  if (w.closes_at.getTime() <= w.opens_at.getTime()) return undefined; // the form reports that fault itself
  const short = rotationShortfall(w);
  if (short.length === 0) return undefined;
  const words = wordsOf(mode);
  return {
    words,
    lines: short.map((s) => {
      const digits = digitsWords(t, s.day);
      const day = t(`eligibility.days.${s.day}`);
      if (s.total === 0) return t(`${words}none`, { digits, day });
      return t(`${words}short`, {
        digits,
        length: lengthWords(t, s.total),
        when: s.turns.map((turn) => spanWords(t, turn, w.time_zone, lang)).join(', '),
      });
    }),
  };
}

/** The warning for a saved campaign that has the rule, while its window is still to come or open. */
export function campaignRotationWarning(c: Campaign, t: Translate, lang: Lang): RotationWarning | undefined {
  if (!c.eligibility.birth_year_rotation || !['draft', 'scheduled', 'open'].includes(c.state))
    return undefined;
  return rotationWarning(c, c.mode, t, lang);
}

/** The warning for the form's values as they stand, when the rule is ticked and the window reads as moments. */
export function formRotationWarning(
  v: CampaignFormValues,
  t: Translate,
  lang: Lang,
): RotationWarning | undefined {
  if (v.birth_year_rotation !== 'on') return undefined;
  const zone = v.time_zone?.trim() || 'Asia/Seoul';
  if (!IANAZone.isValidZone(zone)) return undefined;
  const opens = v.opens_at?.trim() ? toInstant(v.opens_at.trim(), zone) : undefined;
  const closes = v.closes_at?.trim() ? toInstant(v.closes_at.trim(), zone) : undefined;
  if (!opens || !closes || !DateTime.fromJSDate(opens).isValid) return undefined;
  const mode = v.mode === 'instant' ? 'instant' : 'lottery';
  return rotationWarning({ time_zone: zone, opens_at: opens, closes_at: closes }, mode, t, lang);
}
