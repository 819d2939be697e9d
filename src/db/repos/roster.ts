// The frozen roster: the snapshot taken at the close, its Merkle levels, and inclusion proofs read from them.
import { RosterBuilder, type RosterEntry, type RosterFile, type Rules } from '../../domain/draw/index.js';
import type { Db, Trx } from '../knex.js';
import { copyBinaryIn, copyBinaryRows, countRows } from './copyBinary.js';
import { copyLines } from './copyOut.js';
import {
  checkCampaignId,
  createLoadingPartition,
  indexAndAttach,
  partitionExists,
} from './drawPartitions.js';
import { pushRosterRows, RosterRowParser } from './rosterRows.js';

/** SQL for column s in NFC, calling normalize() only when s has a non-ASCII character. */
const nfc = (s: string) =>
  `CASE WHEN octet_length(${s}) = char_length(${s}) THEN ${s} ELSE normalize(${s}, NFC) END`;

/**
 * Freezes the campaign's roster into its own roster_entries partition: its active applications in bytewise
 * public_id order (COLLATE "C" sorts UTF-8 bytes, as draw-v1 does), numbered, strings NFC-normalised, read
 * out as binary COPY and those same bytes written back with COPY (batched inserts: INSERT ... SELECT wrote a
 * WAL record per row), then indexed and attached (drawPartitions.ts). Returns the roster read from those
 * bytes into the draw engine's columns (checked against `rules`, while PostgreSQL stores them), or
 * undefined if the roster is already frozen.
 */
export async function freezeRoster(
  trx: Trx,
  campaignId: string,
  rules: Rules,
): Promise<RosterFile | undefined> {
  if (await partitionExists(trx, 'roster_entries', campaignId)) return undefined;
  const part = await createLoadingPartition(trx, 'roster_entries', campaignId);
  // The million-row sort by public_id spilled to disk at the default 4 MB (EXPLAIN: external merge, 137 MB);
  // in memory it needs ~200 MB, for this transaction only.
  await trx.raw("SET LOCAL work_mem = '256MB'");
  // normalize() converts every string to code points and back (1.4 s of server CPU per million rows), so
  // only strings with a non-ASCII byte go through it: ASCII is NFC already. Public ids are ASCII by design.
  // The types are the partition's (idx integer), as a binary COPY into it needs.
  const pieces: Array<Buffer | undefined> = [];
  for await (const piece of copyBinaryRows(
    trx,
    `SELECT public_id, group_name, weight, request, preferences,
            (row_number() OVER (ORDER BY public_id COLLATE "C"))::integer - 1 AS idx, id
       FROM (SELECT id, weight, request, preferences,
                    ${nfc('public_id')} AS public_id, ${nfc('group_name')} AS group_name
               FROM applications WHERE campaign_id = '${campaignId}' AND status = 'active') a
      ORDER BY public_id COLLATE "C"`,
  ))
    pieces.push(piece);
  const roster = new RosterBuilder(rules, { expected: countRows(pieces) });
  await copyBinaryIn(
    trx,
    `COPY ${part} (public_id, group_name, weight, request, preferences, idx, application_id) FROM STDIN`,
    pieces,
    (piece) => pushRosterRows(piece, roster),
  );
  await indexAndAttach(trx, 'roster_entries', campaignId);
  return roster.finish();
}

/** The frozen roster's draw fields in leaf order, for binary COPY (campaignId checked by the caller). */
const rosterQuery = (campaignId: string) =>
  `SELECT public_id, group_name, weight, request, preferences
     FROM roster_entries WHERE campaign_id = '${campaignId}' ORDER BY public_id`;

/**
 * The frozen roster in leaf order (public_id's "C" order is idx order: idx is its row_number), one binary
 * COPY piece at a time: lengths and integers as sent, preferences as the text[] itself, and site ids and group
 * names interned from their bytes, so a million entries hold ~70,000 site strings, not 3,000,000 of them.
 */
async function* rosterBatches(db: Db | Trx, campaignId: string): AsyncGenerator<RosterEntry[]> {
  checkCampaignId(campaignId); // inlined below: COPY takes no parameters
  const parser = new RosterRowParser();
  const rows = copyBinaryRows(db, rosterQuery(campaignId));
  for await (const buf of rows) {
    const batch: RosterEntry[] = [];
    parser.parse(buf, batch);
    yield batch;
  }
}

/**
 * The frozen roster in leaf order (public_id's, as rosterBatches) as COPY text (copyLines), the columns in
 * the bundle's key order: group, preferences (joined by commas), public_id, request, weight.
 */
export function rosterCopyText(db: Db, campaignId: string): AsyncGenerator<Buffer> {
  checkCampaignId(campaignId); // inlined below: COPY takes no parameters
  return copyLines(
    db,
    `SELECT group_name, array_to_string(preferences, ','), public_id, request, weight
       FROM roster_entries WHERE campaign_id = '${campaignId}' ORDER BY public_id`,
  );
}

/**
 * The whole frozen roster in leaf order, read into the draw engine's columns and checked against `rules`
 * (the validated rules the draw is then given): no string or object per entry. `expected`: the number of
 * entries when known (the draw row's roster_size), to size the columns once.
 */
export async function loadRosterFile(
  db: Db | Trx,
  campaignId: string,
  rules: Rules,
  expected?: number,
): Promise<RosterFile> {
  checkCampaignId(campaignId); // inlined below: COPY takes no parameters
  const roster = new RosterBuilder(rules, { expected });
  for await (const buf of copyBinaryRows(db, rosterQuery(campaignId))) pushRosterRows(buf, roster);
  return roster.finish();
}

/** The whole frozen roster in leaf order, as entry objects. Measured, 1,000,000 rows: 2.5-2.7 s client CPU for keyset pages through node-pg, 2.7-3.0 s for COPY text (load 2-9), see the commit for binary. */
export async function loadRoster(db: Db | Trx, campaignId: string): Promise<RosterEntry[]> {
  const out: RosterEntry[] = [];
  for await (const batch of rosterBatches(db, campaignId)) for (const e of batch) out.push(e);
  return out;
}

export interface FrozenEntry {
  idx: number;
  application_id: string;
  entry: RosterEntry;
}

type EntryRow = Pick<FrozenEntry, 'idx' | 'application_id'> & {
  public_id: string;
  group_name: string;
  weight: number;
  request: string | number;
  preferences: string[];
};

const frozenEntry = (row: EntryRow): FrozenEntry => ({
  idx: row.idx,
  application_id: row.application_id,
  entry: {
    public_id: row.public_id,
    group: row.group_name,
    weight: row.weight,
    request: Number(row.request),
    preferences: row.preferences,
  },
});

export async function findRosterEntry(
  db: Db,
  campaignId: string,
  publicId: string,
): Promise<FrozenEntry | undefined> {
  const row = await db('roster_entries').where({ campaign_id: campaignId, public_id: publicId }).first();
  return row ? frozenEntry(row) : undefined;
}

/**
 * The `before` entries just before publicId in leaf order and the `from` entries from it on (itself first),
 * in leaf order: a receipt's block of neighbours, read along the (campaign_id, public_id) key.
 */
export async function readRosterNeighbours(
  db: Db,
  campaignId: string,
  publicId: string,
  before: number,
  from: number,
): Promise<FrozenEntry[]> {
  const cols = 'idx, application_id, public_id, group_name, weight, request, preferences';
  const { rows } = await db.raw<{ rows: EntryRow[] }>(
    `(SELECT ${cols} FROM roster_entries WHERE campaign_id = ? AND public_id < ? COLLATE "C"
       ORDER BY public_id DESC LIMIT ?)
     UNION ALL
     (SELECT ${cols} FROM roster_entries WHERE campaign_id = ? AND public_id >= ? COLLATE "C"
       ORDER BY public_id LIMIT ?)
     ORDER BY idx`,
    [campaignId, publicId, before, campaignId, publicId, from],
  );
  return rows.map(frozenEntry);
}

/** One row per Merkle level from level `from` up (each the level's hashes concatenated); below it, none. */
export async function saveTreeLevels(
  trx: Trx,
  campaignId: string,
  levels: readonly Uint8Array[],
  from: number,
): Promise<void> {
  for (let level = from; level < levels.length; level++) {
    const l = levels[level]!;
    await trx('roster_tree').insert({
      campaign_id: campaignId,
      level,
      hashes: Buffer.from(l.buffer, l.byteOffset, l.byteLength),
    });
  }
}

/**
 * The RFC 6962 audit path of leaf `index` in a tree of `size` leaves from level `from` up (the siblings of
 * its ancestors there), sliced out of the stored levels.
 */
export async function readTreeSiblings(
  db: Db,
  campaignId: string,
  index: number,
  size: number,
  from: number,
): Promise<Uint8Array[]> {
  const wanted: Array<[number, number]> = [];
  let i = Math.floor(index / 2 ** from);
  let n = Math.ceil(size / 2 ** from);
  for (let level = from; n > 1; level++) {
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
