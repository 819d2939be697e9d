// Normalised identifiers: what identity_key is an HMAC of. Parsing only; no secrets, clock or randomness here.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** A calendar date YYYY-MM-DD that exists, from "1982-03-15", "19820315" or "1982.03.15". */
export function normaliseBirthDate(input: string, today: Date): string | undefined {
  const m = /^\s*(\d{4})[-./]?(\d{2})[-./]?(\d{2})\s*$/.exec(input);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return undefined;
  if (y < 1900 || date.getTime() > today.getTime()) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** E.164 for a mobile or fixed number; Korean numbers such as 010-1234-5678 need no country code. */
export function normalisePhone(input: string, defaultRegion: 'KR' = 'KR'): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultRegion);
  if (!parsed?.isValid()) return undefined;
  const type = parsed.getType();
  if (type !== undefined && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return undefined;
  return parsed.number;
}

export function normaliseEmail(input: string): string | undefined {
  const e = input.trim().toLowerCase();
  return /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/.test(e) && e.length <= 254 ? e : undefined;
}

/** What an identity key is an HMAC of, for the identifiers that are not a phone number or an address. */
export const identifier = {
  oidc: (issuer: string, subject: string) => `oidc:${issuer}|${subject}`,
  /** the CI (연계정보) Korean identity verification returns: one person across phones and carriers */
  ci: (ci: string) => `ci:${ci}`,
};

/** The masked form shown back to a resident: 010-****-5678, a***@example.org. */
export function maskContact(channel: 'sms' | 'email', value: string): string {
  if (channel === 'email') {
    const [user = '', domain = ''] = value.split('@');
    return `${user.slice(0, 1)}***@${domain}`;
  }
  const digits = value.replace(/^\+82/, '0');
  return `${digits.slice(0, 3)}-****-${digits.slice(-4)}`;
}
