// Standalone draw-v1 verifier. No database, no network.
//   npm run verify -- bundle.json            -> "match" (exit 0) or the first failing check (exit 1)
//   npm run verify -- --receipt receipt.json -> "match" (exit 0) or "mismatch" (exit 1)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  describeDifference,
  readRosterFile,
  type Verdict,
  validateRules,
  verifiesWithRawResults,
  verifyBundlePhases,
  verifyReceipt,
} from '../src/domain/draw/index.js';
import { progress } from './progress.js';

const USAGE = 'usage: npm run verify -- bundle.json | npm run verify -- --receipt receipt.json';

function usage(message: string): never {
  console.error(`verify: ${message}\n${USAGE}`);
  process.exit(2);
}

function read(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    usage(`cannot read ${path}: ${(e as Error).message}`);
  }
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    usage(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}

const readJson = (path: string): unknown => parseJson(path, read(path).toString('utf8'));

const [QUOTE, BACKSLASH, COMMA, COLON] = [0x22, 0x5c, 0x2c, 0x3a];

function skipSpace(b: Uint8Array, i: number): number {
  while (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09) i++;
  return i;
}

/** b[i] is a quote: the index after the closing one. */
function skipString(b: Uint8Array, i: number): number {
  for (i++; i < b.length && b[i] !== QUOTE; i++) if (b[i] === BACKSLASH) i++;
  return i + 1;
}

/** The index after the JSON value starting at b[i] (assuming valid JSON; JSON.parse checks later). */
function skipValue(b: Uint8Array, i: number): number {
  if (b[i] === QUOTE) return skipString(b, i);
  if (b[i] !== 0x7b && b[i] !== 0x5b) {
    while (i < b.length && b[i] !== COMMA && b[i] !== 0x7d && b[i] !== 0x5d && skipSpace(b, i) === i) i++;
    return i;
  }
  let depth = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c === QUOTE) {
      i = skipString(b, i);
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
    i++;
  }
  return i;
}

const RESULTS_KEY = Buffer.from('"results"');
const ROSTER_KEY = Buffer.from('"roster"');
type Span = [number, number];

/**
 * Where a canonical bundle's results and roster arrays end: the first `]` followed by the next key (inside
 * them a `"` is escaped, so it cannot occur earlier). Found natively (Buffer.indexOf) rather than walked
 * byte by byte in JS (skipValue: 290 of the 300 MB at 1M entries). Only a guess for any other layout,
 * which is safe: a span is used only if its bytes then prove to be exactly one JSON array (the canonical
 * results, or a roster readRosterJson reads to its end), and a JSON value ends where it closes.
 */
const ENDS_BEFORE: [Buffer, Buffer][] = [
  [RESULTS_KEY, Buffer.from('],"results_hash":')],
  [ROSTER_KEY, Buffer.from('],"roster_root":')],
];

function arrayEnd(b: Buffer, key: Uint8Array, start: number): number {
  if (b[start] === 0x5b) {
    for (const [k, next] of ENDS_BEFORE) {
      const at = Buffer.compare(key, k) === 0 ? b.indexOf(next, start) : -1;
      if (at >= 0) return at + 1;
    }
  }
  return skipValue(b, start);
}

/**
 * [start, end) of the values of the top-level "results" and "roster" members (the last of each, as
 * JSON.parse keeps), or undefined when the bundle is not laid out plainly enough to say (a key with an
 * escape, no results member, anything unexpected): then the whole file is parsed as usual.
 */
function memberSpans(b: Buffer): { results: Span; roster: Span | undefined } | undefined {
  let i = skipSpace(b, 0);
  if (b[i] !== 0x7b) return undefined;
  let results: Span | undefined;
  let roster: Span | undefined;
  i = skipSpace(b, i + 1);
  while (b[i] === QUOTE) {
    const keyStart = i;
    i = skipString(b, i);
    const key = b.subarray(keyStart, i);
    if (key.includes(BACKSLASH)) return undefined;
    i = skipSpace(b, i);
    if (b[i] !== COLON) return undefined;
    const start = skipSpace(b, i + 1);
    i = arrayEnd(b, key, start);
    if (Buffer.compare(key, RESULTS_KEY) === 0) results = [start, i];
    if (Buffer.compare(key, ROSTER_KEY) === 0) roster = [start, i];
    i = skipSpace(b, i);
    if (b[i] !== COMMA) break;
    i = skipSpace(b, i + 1);
  }
  if (results === undefined || b[results[0]] !== 0x5b || b[i] !== 0x7d) return undefined;
  return { results, roster: roster !== undefined && b[roster[0]] === 0x5b ? roster : undefined };
}

/** The file's text with each span's value replaced by [] (spans in file order, apart). */
function emptied(b: Buffer, spans: Span[]): string {
  let text = '';
  let from = 0;
  for (const [start, end] of spans) {
    text += `${b.toString('utf8', from, start)}[]`;
    from = end;
  }
  return text + b.toString('utf8', from);
}

/**
 * The bundle but its results, parsed; its roster read by readRosterJson in file order when plainly laid
 * out (JSON.parse of the rest of the file then skips it: 100 MB of the 300 at 1M entries), undefined when
 * the file is not JSON.
 */
function parseAllButResults(b: Buffer, spans: { results: Span; roster: Span | undefined }): unknown {
  const { results, roster } = spans;
  if (roster !== undefined) {
    try {
      const rest = JSON.parse(
        emptied(
          b,
          [results, roster].sort((x, y) => x[0] - y[0]),
        ),
      );
      const rules = validateRules(rest?.rules, '$.rules');
      // the validated rules in the bundle, so that the verifier takes the roster as checked against them
      const file = readRosterFile(b.subarray(roster[0], roster[1]), rules, { inFileOrder: true });
      if (file !== undefined) return { ...rest, rules, roster: file };
    } catch {
      // not JSON, or rules the verifier will refuse: read as below
    }
  }
  try {
    return JSON.parse(emptied(b, [results]));
  } catch {
    return undefined; // the plain path below reports the error as it would
  }
}

/**
 * verifyBundle of the file. A 1M-entry bundle's results are two thirds of it; they are first compared as
 * bytes with the canonical results (verifiesWithRawResults), the rest parsed with "results": [] in their
 * place (and the roster read by readRosterJson: parseAllButResults). Only when that does not show a match is the whole file parsed and verified as before, so every
 * verdict, report and JSON error is exactly the plain path's. Measured, 1M entries (290 MB): 11.1-11.2 s
 * wall parsing everything, 6.9-9.2 s this way.
 */
function verifyFile(path: string): Verdict {
  const mark = progress('verify');
  const bytes = read(path);
  mark('read');
  const spans = memberSpans(bytes);
  if (spans !== undefined) {
    const bundle = parseAllButResults(bytes, spans);
    mark('parse');
    const [start, end] = spans.results;
    if (bundle !== undefined && verifiesWithRawResults(bundle, bytes.subarray(start, end), mark)) {
      return { ok: true };
    }
  }
  return verifyBundlePhases(parseJson(path, bytes.toString('utf8')), mark);
}

let parsed: { values: { receipt?: string | undefined }; positionals: string[] };
try {
  parsed = parseArgs({ options: { receipt: { type: 'string' } }, allowPositionals: true, strict: true });
} catch (e) {
  usage((e as Error).message);
}
const { values, positionals } = parsed;
if (values.receipt !== undefined && positionals.length > 0)
  usage('give either a bundle or --receipt, not both');
if (values.receipt === undefined && positionals.length !== 1) usage('give exactly one bundle file');

const verdict =
  values.receipt !== undefined ? verifyReceipt(readJson(values.receipt)) : verifyFile(positionals[0]!);
if (verdict.ok) {
  console.log('match');
} else {
  console.log(`mismatch: ${verdict.check}: ${verdict.message}`);
  for (const d of verdict.differences) console.log(describeDifference(d));
}
// Now, rather than after V8 has unmapped its heap page by page (0.1-0.2 s for 800 MB): stdout is written
// synchronously to files and pipes on Linux.
process.exit(verdict.ok ? 0 : 1);
