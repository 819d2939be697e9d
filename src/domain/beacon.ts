// What a draw's beacon value looks like, read from the source its campaign named at the opening: the sentence kept
// with the seed commitment (BEACON_SOURCE's "drand quicknet: the randomness of the first round published after
// {closes_at}", or a campaign's own, e.g. "동행복권 로또 6/45 제1150회 당첨번호"). Where the source says which kind of
// value it is, a value recorded for it is checked and written in one form, so that the value in the audit record is
// the one anyone finds at the source. It can be recorded once: a wrong one would seed the draw for good.
import { type Problem, problem } from './errors.js';

export const BEACON_MAX_LENGTH = 1000;
/**
 * The longest source sentence a campaign may name (campaigns.beacon_source), as BEACON_SOURCE's own limit: a
 * sentence naming one public value and when it is published, shown on every draw page and audit record.
 */
export const BEACON_SOURCE_MAX = 300;
/** The shortest: a few letters say nothing of where to look ("로또" alone names no round). */
export const BEACON_SOURCE_MIN = 5;

/**
 * - `drand`: a drand round's randomness, 32 bytes written as 64 hexadecimal digits (what its API answers as
 *   `randomness`, and what BEACON_URL's fetch records);
 * - `numbers`: lottery numbers, whole numbers apart (RFC 3797's numeric source, scripts/rfc3797.ts);
 * - `text`: a source of any other kind: its value as published, not checked.
 */
export type BeaconFormat = 'drand' | 'numbers' | 'text';

const DRAND = /\bdrand\b/i;
const NUMBERS = /로또|당첨\s*번호|\blotto\b|\blottery numbers\b|\bwinning numbers\b/i;

/** The kind of value a source sentence names. */
export function beaconFormatOf(source: string): BeaconFormat {
  if (DRAND.test(source)) return 'drand';
  if (NUMBERS.test(source)) return 'numbers';
  return 'text';
}

const ISO_MOMENT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})/g;

/** The moments a source sentence names as written, ISO 8601 with a zone (BEACON_SOURCE's {closes_at} is in UTC). */
export function momentsIn(source: string): Array<{ text: string; at: Date }> {
  return [...source.matchAll(ISO_MOMENT)]
    .map((m) => ({ text: m[0], at: new Date(m[0]) }))
    .filter((m) => !Number.isNaN(m.at.getTime()));
}

const PLAIN_DATE = /(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d:T])/g;

/**
 * The first moment a campaign's own source sentence names that comes before its close, as written; undefined when
 * none does. A value published before the close is known while entries can still be added, so whoever holds the
 * operator's secret could compute the draw and steer it with entries of their own. A moment with a zone is taken as
 * written; a bare date (2026-12-12) counts as past only once that day is over everywhere (UTC-12), so no zone is
 * guessed. A sentence that names no date is not judged.
 */
export function namedBeforeClose(source: string, closesAt: Date): string | undefined {
  const close = closesAt.getTime();
  const moment = momentsIn(source).find((m) => m.at.getTime() < close);
  if (moment) return moment.text;
  for (const [text, y, m, d] of source.matchAll(PLAIN_DATE)) {
    const overEverywhere = Date.UTC(Number(y), Number(m) - 1, Number(d) + 1, 12);
    if (!Number.isNaN(overEverywhere) && overEverywhere < close) return text;
  }
  return undefined;
}

const HEX_64 = /^[0-9a-f]{64}$/i;
const WHOLE_NUMBERS = /^\d+(?:[\s,]+\d+)*$/;

/**
 * The value as it would be recorded, or every fault of it (catalogue keys on the field `beacon`): NFC and trimmed
 * as always; a drand randomness in lower case, as drand publishes it; lottery numbers one space apart, each without
 * leading zeros, in the order given.
 */
export function checkBeacon(
  format: BeaconFormat,
  raw: string,
): { ok: true; value: string } | { ok: false; problems: Problem[] } {
  const value = raw.normalize('NFC').trim();
  const refuse = (fault: Problem) => ({ ok: false as const, problems: [fault] });
  if (value === '') return refuse(problem('beacon', 'required'));
  if (value.length > BEACON_MAX_LENGTH)
    return refuse(problem('beacon', 'max_chars', { max: BEACON_MAX_LENGTH }));
  if (format === 'drand')
    return HEX_64.test(value)
      ? { ok: true, value: value.toLowerCase() }
      : refuse(problem('beacon', 'beacon_drand'));
  if (format === 'numbers') {
    if (!WHOLE_NUMBERS.test(value)) return refuse(problem('beacon', 'beacon_numbers'));
    const numbers = value.split(/[\s,]+/).map((n) => BigInt(n).toString());
    return { ok: true, value: numbers.join(' ') };
  }
  return { ok: true, value };
}
