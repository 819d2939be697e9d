// The audit bundle of a drawn campaign, streamed from the tables in exactly the bytes bundleJson(runDraw(...))
// gives (keys in canonical order, roster and results through the same field writers), so a million-entry
// bundle (~300 MB) never exists as one string. test/draw/e2e.test.ts checks the byte equality.
import type { Db } from '../db/knex.js';
import { resultBatches } from '../db/repos/awards.js';
import type { DrawRecord } from '../db/repos/draws.js';
import { rosterBatches } from '../db/repos/roster.js';
import type { Campaign } from '../domain/campaign.js';
import { canonicalJson } from '../domain/canonical.js';
import { DRAW_VERSION, entryJson, resultJson } from '../domain/draw/index.js';
import { entryChars, putEntry, putResult, resultChars, roomFor } from '../domain/draw/jsonBytes.js';

const q = JSON.stringify;

/**
 * A JSON list's items, comma-separated, as one Buffer per batch: written as bytes (jsonBytes.ts, the same
 * bytes as the string writers), a string only for an item with non-ASCII text. Measured, 1,000,000 results
 * and entries: 8.3 s client CPU through keyset pages of node-pg rows and string concatenation, see the
 * commit for this.
 */
async function* listItems<T>(
  batches: AsyncIterable<T[]>,
  chars: (x: T) => number,
  put: (buf: Uint8Array, off: number, x: T) => number,
  json: (x: T) => string,
): AsyncGenerator<Buffer> {
  let first = true;
  for await (const batch of batches) {
    let room = 0;
    for (const x of batch) room += 1 + roomFor(chars(x));
    const buf = Buffer.allocUnsafe(room);
    let from = 0;
    let o = 0;
    for (const x of batch) {
      if (!first) buf[o++] = 0x2c; // ,
      first = false;
      const end = put(buf, o, x);
      if (end >= 0) {
        o = end;
      } else {
        yield buf.subarray(from, o);
        yield Buffer.from(json(x));
        from = o;
      }
    }
    if (o > from) yield buf.subarray(from, o);
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
  yield* listItems(resultBatches(db, c.id), resultChars, putResult, resultJson);
  yield text(`],"results_hash":${q(draw.results_hash)},"roster":[`);
  yield* listItems(rosterBatches(db, c.id), entryChars, putEntry, entryJson);
  yield text(
    `],"roster_root":${q(draw.roster_root)},"rules":${draw.rules},"secret":${q(draw.secret)},"seed":${q(draw.seed)},"seed_commitment":${q(draw.seed_commitment)},"version":${q(DRAW_VERSION)}}`,
  );
}
