// The audit bundle of a drawn campaign, streamed from the tables in exactly the bytes bundleJson(runDraw(...))
// gives (keys in canonical order, roster and results through the same field writers), so a million-entry
// bundle (~250 MB) never exists as one string. test/draw/bundle.test.ts checks the byte equality.
import type { Db } from '../db/knex.js';
import type { DrawRecord } from '../db/repos/draws.js';
import type { Campaign } from '../domain/campaign.js';
import { canonicalJson } from '../domain/canonical.js';
import { DRAW_VERSION, entryJson, type Result, resultJson } from '../domain/draw/index.js';

const q = JSON.stringify;
// Rows per query: keyset pages on the primary keys; 20,000 rows is ~4 MB of JSON per chunk.
const PAGE = 20_000;

async function* resultsJson(db: Db, campaignId: string): AsyncGenerator<string> {
  let after = 0;
  let first = true;
  for (;;) {
    const rows: Array<Omit<Result, 'amount'> & { amount: number | string }> = await db('awards')
      .select('rank', 'public_id', 'ticket', 'outcome', 'amount', 'site', 'slot', 'waitlist')
      .where({ campaign_id: campaignId })
      .where('rank', '>', after)
      .orderBy('rank')
      .limit(PAGE);
    if (rows.length === 0) return;
    let s = '';
    for (const r of rows) {
      s += (first ? '' : ',') + resultJson({ ...r, amount: Number(r.amount) });
      first = false;
    }
    after = rows[rows.length - 1]!.rank;
    yield s;
  }
}

async function* rosterJson(db: Db, campaignId: string): AsyncGenerator<string> {
  let after = -1;
  let first = true;
  for (;;) {
    const { rows } = await db.raw<{
      rows: Array<{ idx: number; p: string; g: string; w: number; r: number; s: string }>;
    }>(
      `SELECT idx, public_id AS p, group_name AS g, weight AS w, request AS r, array_to_string(preferences, ',') AS s
         FROM roster_entries WHERE campaign_id = ? AND idx > ? ORDER BY idx LIMIT ?`,
      [campaignId, after, PAGE],
    );
    if (rows.length === 0) return;
    let s = '';
    for (const r of rows) {
      const entry = {
        public_id: r.p,
        group: r.g,
        weight: r.w,
        request: Number(r.r),
        preferences: r.s === '' ? [] : r.s.split(','),
      };
      s += (first ? '' : ',') + entryJson(entry);
      first = false;
    }
    after = rows[rows.length - 1]!.idx;
    yield s;
  }
}

/** Yields the bundle in pieces; the campaign must be drawn (draw.results_hash set). */
export async function* streamBundle(db: Db, c: Campaign, draw: DrawRecord): AsyncGenerator<string> {
  if (!draw.results_hash || !draw.secret || !draw.seed || draw.beacon === null || !draw.roster_root) {
    throw new Error(`campaign ${c.id} is not drawn`);
  }
  const strict = { strict: true };
  yield `{"beacon":${q(draw.beacon)},"campaign":${canonicalJson({ id: c.id, title: c.title_ko }, strict)},"results":[`;
  yield* resultsJson(db, c.id);
  yield `],"results_hash":${q(draw.results_hash)},"roster":[`;
  yield* rosterJson(db, c.id);
  yield `],"roster_root":${q(draw.roster_root)},"rules":${draw.rules},"secret":${q(draw.secret)},"seed":${q(draw.seed)},"seed_commitment":${q(draw.seed_commitment)},"version":${q(DRAW_VERSION)}}`;
}
