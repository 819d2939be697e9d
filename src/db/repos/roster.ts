// The frozen roster: the snapshot taken at the close, its Merkle levels, and inclusion proofs read from them.
import type { RosterEntry } from '../../domain/draw/index.js';
import type { Db, Trx } from '../knex.js';

/**
 * Copies the campaign's active applications into roster_entries in bytewise public_id order (COLLATE "C"
 * sorts UTF-8 bytes, as draw-v1 does), strings NFC-normalised. Does nothing if the roster is already frozen.
 */
export async function freezeRoster(trx: Trx, campaignId: string): Promise<number> {
  const { rowCount } = await trx.raw(
    `INSERT INTO roster_entries (campaign_id, idx, public_id, application_id, group_name, weight, request, preferences)
     SELECT a.campaign_id, (row_number() OVER (ORDER BY normalize(a.public_id, NFC) COLLATE "C")) - 1,
            normalize(a.public_id, NFC), a.id, normalize(a.group_name, NFC), a.weight, a.request, a.preferences
       FROM applications a
      WHERE a.campaign_id = ? AND a.status = 'active'
        AND NOT EXISTS (SELECT 1 FROM roster_entries r WHERE r.campaign_id = ?)`,
    [campaignId, campaignId],
  );
  return rowCount ?? 0;
}

/**
 * The frozen roster in leaf order, read in keyset pages so that a million rows never exist twice in memory
 * (node-pg row objects plus entries). Site ids cannot contain a comma (sites_id_format), so preferences
 * travel as one string: parsing a text[] per row in node-pg was the slowest part of loading the roster.
 */
export async function loadRoster(db: Db | Trx, campaignId: string, page = 100_000): Promise<RosterEntry[]> {
  const out: RosterEntry[] = [];
  for (let after = -1; ; ) {
    const { rows } = await db.raw<{
      rows: Array<{ i: number; p: string; g: string; w: number; r: number; s: string }>;
    }>(
      `SELECT idx AS i, public_id AS p, group_name AS g, weight AS w, request AS r,
              array_to_string(preferences, ',') AS s
         FROM roster_entries WHERE campaign_id = ? AND idx > ? ORDER BY idx LIMIT ?`,
      [campaignId, after, page],
    );
    for (const row of rows) {
      out.push({
        public_id: row.p,
        group: row.g,
        weight: row.w,
        request: Number(row.r),
        preferences: row.s === '' ? [] : row.s.split(','),
      });
    }
    if (rows.length < page) return out;
    after = rows[rows.length - 1]!.i;
  }
}

export interface FrozenEntry {
  idx: number;
  application_id: string;
  entry: RosterEntry;
}

export async function findRosterEntry(
  db: Db,
  campaignId: string,
  publicId: string,
): Promise<FrozenEntry | undefined> {
  const row = await db('roster_entries').where({ campaign_id: campaignId, public_id: publicId }).first();
  if (!row) return undefined;
  return {
    idx: row.idx,
    application_id: row.application_id,
    entry: {
      public_id: row.public_id,
      group: row.group_name,
      weight: row.weight,
      request: Number(row.request),
      preferences: row.preferences,
    },
  };
}

/** One row per Merkle level (leaves first), each the level's hashes concatenated. */
export async function saveTreeLevels(
  trx: Trx,
  campaignId: string,
  levels: readonly Uint8Array[],
): Promise<void> {
  for (let level = 0; level < levels.length; level++) {
    const l = levels[level]!;
    await trx('roster_tree').insert({
      campaign_id: campaignId,
      level,
      hashes: Buffer.from(l.buffer, l.byteOffset, l.byteLength),
    });
  }
}

/** RFC 6962 audit path of leaf `index` in a tree of `size` leaves, sliced out of the stored levels. */
export async function readInclusionProof(
  db: Db,
  campaignId: string,
  index: number,
  size: number,
): Promise<Uint8Array[]> {
  const wanted: Array<[number, number]> = [];
  let i = index;
  let n = size;
  for (let level = 0; n > 1; level++) {
    const sibling = i ^ 1;
    if (sibling < n) wanted.push([level, sibling]); // else: promoted, no sibling at this level
    i >>>= 1;
    n = Math.ceil(n / 2);
  }
  if (wanted.length === 0) return [];
  const values = wanted.map(() => '(?::int, ?::int)').join(', ');
  const { rows } = await db.raw<{ rows: Array<{ level: number; h: Buffer }> }>(
    `SELECT w.level, substring(t.hashes FROM w.pos * 32 + 1 FOR 32) AS h
       FROM (VALUES ${values}) AS w(level, pos)
       JOIN roster_tree t ON t.campaign_id = ? AND t.level = w.level
      ORDER BY w.level`,
    [...wanted.flat(), campaignId],
  );
  if (rows.length !== wanted.length) throw new Error('the stored Merkle levels are incomplete');
  return rows.map((r) => new Uint8Array(r.h));
}
