// The audit bundle of a drawn campaign, streamed from the tables in exactly the bytes bundleJson(runDraw(...))
// gives (keys in canonical order, roster and results as entryJson/resultJson write them), so a million-entry
// bundle (~300 MB) never exists as one string. test/draw/e2e.test.ts checks the byte equality.
import type { Db } from '../db/knex.js';
import { resultsCopyText } from '../db/repos/awards.js';
import { eachRow } from '../db/repos/copyOut.js';
import type { DrawRecord } from '../db/repos/draws.js';
import { rosterCopyText } from '../db/repos/roster.js';
import type { Campaign } from '../domain/campaign.js';
import { canonicalJson } from '../domain/canonical.js';
import { DRAW_VERSION, entryJson, type Result, resultJson } from '../domain/draw/index.js';

const q = JSON.stringify;

const INT = 0;
const STRING = 1;
const LIST = 2; // strings joined by commas in one field
type Kind = typeof INT | typeof STRING | typeof LIST;

/** A list item's JSON object from a COPY row whose columns are its keys in canonical (sorted) order. */
interface Shape {
  keys: readonly string[];
  kinds: readonly Kind[];
  /** the item through the domain's writer, from the row's fields as strings */
  json(fields: string[]): string;
}

export const RESULT_SHAPE: Shape = {
  keys: ['amount', 'outcome', 'public_id', 'rank', 'site', 'slot', 'ticket', 'waitlist'],
  kinds: [INT, STRING, STRING, INT, STRING, STRING, STRING, INT],
  json: (f) =>
    resultJson({
      amount: Number(f[0]),
      outcome: f[1] as Result['outcome'],
      public_id: f[2]!,
      rank: Number(f[3]),
      site: f[4]!,
      slot: f[5]!,
      ticket: f[6]!,
      waitlist: Number(f[7]),
    }),
};

export const ENTRY_SHAPE: Shape = {
  keys: ['group', 'preferences', 'public_id', 'request', 'weight'],
  kinds: [STRING, LIST, STRING, INT, INT],
  json: (f) =>
    entryJson({
      group: f[0]!,
      preferences: f[1] === '' ? [] : f[1]!.split(','),
      public_id: f[2]!,
      request: Number(f[3]),
      weight: Number(f[4]),
    }),
};

const TAB = 0x09;
const NL = 0x0a;
const QUOTE = 0x22;

/**
 * Writes the JSON of the COPY row at buf[p..] to out[o..] byte for byte, when every string in it is
 * printable ASCII without `"` or `\` (JSON.stringify would write those bytes as they are) and every number
 * is plain digits; returns the new end of out, or -1 for a row the domain's writer must do.
 */
function putRow(
  buf: Buffer,
  p: number,
  out: Buffer,
  o: number,
  kinds: readonly Kind[],
  lits: Buffer[],
): number {
  const n = kinds.length;
  for (let f = 0; f < n; f++) {
    const lit = lits[f]!;
    for (let i = 0; i < lit.length; i++) out[o++] = lit[i]!;
    const kind = kinds[f];
    const from = p;
    let b = buf[p]!;
    if (kind === INT) {
      for (; b !== TAB && b !== NL; b = buf[++p]!) {
        if (b < 0x30 || b > 0x39) return -1;
        out[o++] = b;
      }
      if (p === from) return -1;
    } else {
      if (kind === LIST) out[o++] = 0x5b; // [
      const items = kind === STRING || (b !== TAB && b !== NL);
      if (items) out[o++] = QUOTE;
      for (; b !== TAB && b !== NL; b = buf[++p]!) {
        if (b < 0x20 || b > 0x7e || b === QUOTE || b === 0x5c) return -1;
        if (kind === LIST && b === 0x2c) {
          out[o++] = QUOTE; // ","
          out[o++] = b;
          out[o++] = QUOTE;
        } else {
          out[o++] = b;
        }
      }
      if (items) out[o++] = QUOTE;
      if (kind === LIST) out[o++] = 0x5d; // ]
    }
    if (b !== (f === n - 1 ? NL : TAB)) return -1;
    p++;
  }
  out[o++] = 0x7d; // }
  return o;
}

/**
 * A JSON list's items, comma-separated, from whole-row COPY text: each piece becomes one Buffer, written
 * straight from the COPY bytes (putRow), a row with anything else going through the domain's writer.
 * Measured, 1,000,000 results and entries: client CPU 8.2 s through keyset pages of node-pg rows and
 * string concatenation, 4.6-5.0 s through Result and RosterEntry objects and the byte writers, see the
 * commit for this.
 */
export async function* jsonItems(pieces: AsyncIterable<Buffer>, shape: Shape): AsyncGenerator<Buffer> {
  const { keys, kinds } = shape;
  const lits = keys.map((k, i) => Buffer.from(`${i === 0 ? '{' : ','}${q(k)}:`));
  // Per row at most: the keys, three bytes per input byte (a list's comma becomes ","), quotes, braces.
  const perRow = lits.reduce((n, l) => n + l.length + 4, 4);
  let first = true;
  for await (const buf of pieces) {
    const out = Buffer.allocUnsafe(3 * buf.length + perRow * (Math.ceil(buf.length / kinds.length) + 1));
    let from = 0;
    let o = 0;
    for (let p = 0; p < buf.length; ) {
      if (!first) out[o++] = 0x2c; // ,
      first = false;
      const end = buf.indexOf(NL, p);
      const written = putRow(buf, p, out, o, kinds, lits);
      if (written >= 0) {
        o = written;
      } else {
        let json = '';
        eachRow(buf.subarray(p, end + 1), kinds.length, (fields) => {
          json = shape.json(fields);
        });
        yield out.subarray(from, o);
        yield Buffer.from(json);
        from = o;
      }
      p = end + 1;
    }
    if (o > from) yield out.subarray(from, o);
  }
}

/** Yields the bundle in pieces; the campaign must be drawn (draw.results_hash set). */
export async function* streamBundle(db: Db, c: Campaign, draw: DrawRecord): AsyncGenerator<Buffer> {
  if (!draw.results_hash || !draw.secret || !draw.seed || draw.beacon === null || !draw.roster_root) {
    throw new Error(`campaign ${c.id} is not drawn`);
  }
  const strict = { strict: true };
  const text = (s: string) => Buffer.from(s);
  yield text(
    `{"beacon":${q(draw.beacon)},"campaign":${canonicalJson({ id: c.id, title: c.title_ko }, strict)},"results":[`,
  );
  yield* jsonItems(resultsCopyText(db, c.id), RESULT_SHAPE);
  yield text(`],"results_hash":${q(draw.results_hash)},"roster":[`);
  yield* jsonItems(rosterCopyText(db, c.id), ENTRY_SHAPE);
  yield text(
    `],"roster_root":${q(draw.roster_root)},"rules":${draw.rules},"secret":${q(draw.secret)},"seed":${q(draw.seed)},"seed_commitment":${q(draw.seed_commitment)},"version":${q(DRAW_VERSION)}}`,
  );
}
