// Field rules every route schema shares, so a limit is written once: text that is safe to store and to show
// to others, and numbers and dates within what PostgreSQL and the draw hold.
import { z } from 'zod';

/** NUL (PostgreSQL text refuses it) or a lone UTF-16 surrogate (jsonb refuses it). */
export const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const UNSTORABLE_MESSAGE =
  'Contains a character that is not allowed (NUL or a broken Unicode character)';
/** Bidirectional embeddings, overrides and isolates: they make "gro.elpmaxe" read as "example.org". */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/** Trimmed text of at most `max` characters that can be stored and shown to other people as it is. */
export function safeText(max: number) {
  return z
    .string()
    .trim()
    .max(max, 'validation.max_chars')
    .refine((s) => !UNSTORABLE.test(s), 'validation.unstorable')
    .refine((s) => !BIDI_CONTROLS.test(s), 'validation.bidi_control');
}

/** C0 and C1 control characters other than the line feed (a tab, a bell, a terminal's escape sequence). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it finds
const CONTROLS_BUT_LINE_FEED = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

/**
 * Plain text of at most `max` characters sent to residents as written (SMS, email, their pages): lines, and no
 * other control character; a CR LF or lone CR is a line feed.
 */
export function plainText(max: number) {
  return safeText(max)
    .transform((s) => s.replace(/\r\n?/g, '\n'))
    .refine((s) => !CONTROLS_BUT_LINE_FEED.test(s), 'validation.control_character');
}

/** Plain text on one line: line breaks (only an API client can send them) become spaces. */
export function oneLine(max: number) {
  return plainText(max).transform((s) => s.replace(/\s*\n\s*/g, ' '));
}

/** A phone number as people write it: digits, spaces, +, ( ) and - (e.g. 02-123-4567); blank passes. */
export function phoneText(max: number) {
  return safeText(max).regex(/^[0-9+()\- ]*$/, { message: 'validation.phone_format', abort: true });
}

/** Money (KRW) or item counts: far above any real budget, far below where sums leave exact integers. */
export const MAX_AMOUNT = 1_000_000_000_000;
/** A priority weight: the draw hashes once per unit of weight for every application. */
export const MAX_WEIGHT = 100;
/** People served by one pickup slot (an integer column). */
export const MAX_CAPACITY = 1_000_000;

/** Campaign moments lie in this range; PostgreSQL cannot hold some JavaScript dates (e.g. year -4714). */
export const EARLIEST_MOMENT = new Date('2000-01-01T00:00:00Z');
export const LATEST_MOMENT = new Date('2100-01-01T00:00:00Z');

export function inMomentRange(d: Date): boolean {
  return d.getTime() >= EARLIEST_MOMENT.getTime() && d.getTime() < LATEST_MOMENT.getTime();
}
