// Canonical JSON (RFC 8785 style, integers only): the one byte form that gets hashed,
// used by draw-v1 (strict: no null/boolean) and by the audit chain (null/boolean allowed).

export type CanonicalValue =
  | string
  | number
  | boolean
  | null
  | CanonicalValue[]
  | { [key: string]: CanonicalValue };

export interface CanonicalOptions {
  /** draw-v1 forbids null and booleans inside rules, roster and results. */
  strict?: boolean;
}

// Sort by UTF-16 code units, as RFC 8785 does; JS string comparison already is that order.
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function canonicalJson(value: unknown, options: CanonicalOptions = {}, path = '$'): string {
  if (typeof value === 'string') return JSON.stringify(value.normalize('NFC'));
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new TypeError(`canonical JSON allows only safe integers (at ${path})`);
    return String(value); // String(-0) is '0', as RFC 8785 writes it
  }
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value === 'boolean') {
    if (options.strict) throw new TypeError(`canonical JSON (strict) forbids null and booleans (at ${path})`);
    return String(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v, i) => canonicalJson(v, options, `${path}[${i}]`)).join(',')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.normalize('NFC'), v] as const);
    entries.sort(([a], [b]) => compareKeys(a, b));
    // Keys that NFC makes equal would be written as one key twice: refused, never serialised ambiguously.
    for (let i = 1; i < entries.length; i++) {
      if (entries[i]![0] === entries[i - 1]![0])
        throw new TypeError(
          `canonical JSON: two keys are the same key after NFC normalisation, ${JSON.stringify(entries[i]![0])} (at ${path})`,
        );
    }
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, options, `${path}.${k}`)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot encode ${typeof value} (at ${path})`);
}
