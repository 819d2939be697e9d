// A campaign's own contact (문의처): the office residents ask about it, set by its operator. Only sites had a phone,
// so a voucher campaign (no site), a cancelled campaign or a refused award left a resident with nobody to ask.
import { type Problem, problem } from './errors.js';

/** The campaign's contact as stored: null (or absent) where nothing was given. */
export interface CampaignContact {
  /** the office's name, e.g. 중구청 일자리경제과 */
  contact_name_ko?: string | null | undefined;
  contact_name_en?: string | null | undefined;
  /** as residents dial it, e.g. 02-3396-4000 or 120 */
  contact_phone?: string | null | undefined;
  contact_email?: string | null | undefined;
  /** when someone answers, e.g. 평일 09:00~18:00 */
  contact_hours_ko?: string | null | undefined;
  contact_hours_en?: string | null | undefined;
}

export const CONTACT_FIELDS = [
  'contact_name_ko',
  'contact_name_en',
  'contact_phone',
  'contact_email',
  'contact_hours_ko',
  'contact_hours_en',
] as const satisfies ReadonlyArray<keyof CampaignContact>;

/** The longest of each (the database checks the same). */
export const CONTACT_MAX = { name: 100, phone: 40, email: 200, hours: 200 } as const;

/** A text in the reader's language, or in the other one when only that was given. */
export interface Worded {
  text: string;
  lang: 'ko' | 'en';
}

/** The contact as a resident reads it; undefined: nobody to name. */
export interface ContactView {
  name?: Worded | undefined;
  phone?: string | undefined;
  /** the number for a tel: link: its digits, with a leading + kept */
  tel?: string | undefined;
  email?: string | undefined;
  hours?: Worded | undefined;
}

function worded(
  ko: string | null | undefined,
  en: string | null | undefined,
  lang: string,
): Worded | undefined {
  const order: Array<[Worded['lang'], string | null | undefined]> =
    lang === 'en'
      ? [
          ['en', en],
          ['ko', ko],
        ]
      : [
          ['ko', ko],
          ['en', en],
        ];
  const found = order.find(([, text]) => text);
  return found?.[1] ? { text: found[1], lang: found[0] } : undefined;
}

/** A phone number as a tel: link dials it: "02-3396-4000" is 0233964000, "+82 2 120" is +822120. */
export function telOf(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return phone.trim().startsWith('+') ? `+${digits}` : digits;
}

/** The contact in a reader's language (each text falls back to the other language); undefined when none is set. */
export function contactIn(c: CampaignContact, lang: string): ContactView | undefined {
  const name = worded(c.contact_name_ko, c.contact_name_en, lang);
  const phone = c.contact_phone || undefined;
  const email = c.contact_email || undefined;
  if (!name && !phone && !email) return undefined;
  return {
    name,
    phone,
    tel: phone ? telOf(phone) : undefined,
    email,
    hours: worded(c.contact_hours_ko, c.contact_hours_en, lang),
  };
}

/** The contact on one line, for a notice's footer: "중구청 일자리경제과 · 02-3396-4000 · 평일 09:00~18:00". */
export function contactLine(c: CampaignContact, lang: string): string | undefined {
  const v = contactIn(c, lang);
  if (!v) return undefined;
  return [v.name?.text, v.phone, v.email, v.hours?.text].filter(Boolean).join(' · ');
}

/**
 * A notice's contact parameters in its language: `help`, the line for an email's footer, and `help_phone`, the
 * number alone for an SMS (each character is paid). None when no contact was given.
 */
export function contactParams(c: CampaignContact, lang: string): { help?: string; help_phone?: string } {
  const help = contactLine(c, lang);
  if (!help) return {};
  return c.contact_phone ? { help, help_phone: c.contact_phone } : { help };
}

/**
 * A contact must say whom to ask and how: once any of it is there, an office name (in either language) and a phone
 * number or an email address. Blank is null or ''; a field left undefined failed its own check (already reported,
 * and something was written there) or was never part of the input (a caller from before contacts): not blank.
 */
export function contactProblems(c: CampaignContact): Problem[] {
  const blank = (v: string | null | undefined) => v === null || v === '';
  const anyOf = (...v: Array<string | null | undefined>) => v.some((x) => !blank(x));
  const e: Problem[] = [];
  if (blank(c.contact_name_ko) && blank(c.contact_name_en))
    if (anyOf(c.contact_phone, c.contact_email, c.contact_hours_ko, c.contact_hours_en))
      e.push(problem('contact_name_ko', 'contact_name_needed'));
  if (blank(c.contact_phone) && blank(c.contact_email))
    if (anyOf(c.contact_name_ko, c.contact_name_en, c.contact_hours_ko, c.contact_hours_en))
      e.push(problem('contact_phone', 'contact_reach_needed'));
  return e;
}
