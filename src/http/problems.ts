// Field faults in words: a Problem (domain/errors.ts) carries a key of the validation catalogue
// (templates/i18n/<lang>/validation.json) and its values; zod issues become Problems here, and every admin form
// and the API word them through this one mapping: pages in the reader's language, the API's `fields` in English.
import type { z } from 'zod';
import type { DomainError, FieldErrors, Problem } from '../domain/errors.js';
import { type Translate, translator } from '../i18n/catalogue.js';

/** The catalogue's area: a schema's message `validation.required` is the key `required`. */
const AREA = 'validation.';

/**
 * The key for an issue whose schema gave no message of its own (zod's built-in checks): named by what failed,
 * so "at most 200 characters" and "at most 20 entries" read right in both languages.
 */
export function defaultMessage(issue: z.core.$ZodRawIssue): string {
  const origin = 'origin' in issue ? String(issue.origin) : '';
  if (issue.input === undefined || issue.input === null || issue.input === '') return `${AREA}required`;
  switch (issue.code) {
    case 'too_small':
      if (origin === 'string') return `${AREA}min_chars`;
      return origin === 'array' || origin === 'set' ? `${AREA}too_few` : `${AREA}at_least`;
    case 'too_big':
      if (origin === 'string') return `${AREA}max_chars`;
      return origin === 'array' || origin === 'set' ? `${AREA}too_many` : `${AREA}at_most`;
    case 'invalid_value':
      return `${AREA}one_of`;
    default:
      return `${AREA}invalid`;
  }
}

/** Each issue as a Problem: its path, its key (a schema's own English words stay words) and its bounds. */
export function problemsOf(error: z.ZodError, prefix: readonly PropertyKey[] = []): Problem[] {
  return error.issues.map((issue) => {
    const params: Record<string, string | number> = {};
    if ('minimum' in issue) params.min = Number(issue.minimum);
    if ('maximum' in issue) params.max = Number(issue.maximum);
    if ('values' in issue && Array.isArray(issue.values)) params.values = issue.values.join(', ');
    // a refinement's own values (e.g. a coordinate's limit)
    if (issue.code === 'custom' && issue.params) Object.assign(params, issue.params);
    const key = issue.message.startsWith(AREA) ? issue.message.slice(AREA.length) : issue.message;
    return {
      field: [...prefix, ...issue.path].map(String).join('.') || '_',
      key,
      ...(Object.keys(params).length ? { params } : {}),
    };
  });
}

/** One problem in words. Keys outside the catalogue (a schema's English words) come back as they are. */
export function problemText(t: Translate, p: Problem, numbers?: Intl.NumberFormat): string {
  const params = Object.fromEntries(
    Object.entries(p.params ?? {}).map(([k, v]) => [
      k,
      typeof v === 'number' && numbers ? numbers.format(v) : v,
    ]),
  );
  const key = `${AREA}${p.key}`;
  const text = t(key, params);
  return text === key ? p.key : text;
}

/** Words by the field that shows them, each field's distinct faults joined (one line each on a page), in order. */
export function linesByField(entries: Iterable<readonly [string, string]>, separator = '\n'): FieldErrors {
  const out = new Map<string, string[]>();
  for (const [field, words] of entries) {
    const list = out.get(field) ?? [];
    if (!list.includes(words)) list.push(words);
    out.set(field, list);
  }
  return Object.fromEntries([...out].map(([f, list]) => [f, list.join(separator)]));
}

/** Problems by field, in words. */
export function problemFields(
  problems: readonly Problem[],
  text: (p: Problem) => string,
  separator = '\n',
): FieldErrors {
  return linesByField(
    problems.map((p) => [p.field, text(p)] as const),
    separator,
  );
}

const english = translator('en');

/** One problem in English, as the API reports it. */
export const englishText = (p: Problem): string => problemText(english, p);

/** The API's `fields`: every field's faults in English, as documented (one string a field). */
export function englishFields(problems: readonly Problem[]): FieldErrors {
  return problemFields(problems, englishText, '; ');
}

const NUMBERS = { ko: new Intl.NumberFormat('ko-KR'), en: new Intl.NumberFormat('en-GB') };

/** The page's wording of one problem, numbers grouped as the reader writes them. */
export function pageText(t: Translate, lang: 'ko' | 'en'): (p: Problem) => string {
  return (p) => problemText(t, p, NUMBERS[lang]);
}

/** An error's faults as problems, whether it carries them or only words (refusals worded where they happen). */
export function problemsOfError(err: DomainError): Problem[] {
  return err.problems ?? Object.entries(err.fields ?? {}).map(([field, key]) => ({ field, key }));
}

/** A form's field errors in the page's language, each field's faults one line each. */
export function fieldMessages(err: DomainError, t: Translate, lang: 'ko' | 'en'): FieldErrors {
  return problemFields(problemsOfError(err), pageText(t, lang));
}
