// Queries on awards: the draw's bulk insert, lookups, counts, and the collection / expiry / promotion moves.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Result, ResultWalker } from '../../domain/draw/index.js';
import type { Db, Trx } from '../knex.js';
import { copyLines } from './copyOut.js';
import { HELD_SITE } from './counterAwards.js';
import { checkCampaignId, createLoadingPartition, indexAndAttach } from './drawPartitions.js';

export type AwardStatus = 'won' | 'waitlisted' | 'promoted' | 'collected' | 'expired' | 'refused';

/** A draw result as stored: the draw-v1 result fields, plus what happened to the award since. */
export interface AwardRow extends Result {
  campaign_id: string;
  status: AwardStatus;
  held_amount: number | null;
  held_site: string | null;
  held_slot: string | null;
  promoted_from_rank: number | null;
  claim_deadline: Date | null;
  collected_at: Date | null;
  collected_by: string | null;
  collected_site: string | null;
  collected_via: 'counter' | 'offline' | 'admin' | null;
  collected_ref: string | null;
  refused_at: Date | null;
  refused_by: string | null;
  refusal_reason: string | null;
  expired_at: Date | null;
  promoted_at: Date | null;
}

// COPY ... FROM STDIN through pg-copy-streams (added for this): one stream of tab-separated rows on the
// transaction's own connection. Measured on 1,000,000 results with PostgreSQL on the same 2-core host:
// INSERT ... SELECT FROM unnest() in chunks of 50,000 took 27.7 s wall (9.8 s client CPU); COPY took the
// figure in the README's draw benchmark table. The three indexes of awards are most of what remains.

/** COPY text format: backslash, tab, newline and carriage return escaped. */
function field(v: string): string {
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!)
    : v;
}

/** Writes s at buf[off..] as a COPY text field; returns the new end. Printable ASCII but a backslash goes as is. */
function putField(buf: Buffer, off: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x5c) return off + buf.write(field(s), off, 'utf8');
    buf[off + i] = c;
  }
  return off + s.length;
}

/** Writes UTF-8 bytes at buf[off..] as a COPY text field (putField's escapes); returns the new end. */
function putBytesField(buf: Buffer, off: number, b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x5c || c === 0x09 || c === 0x0a || c === 0x0d)
      return putField(buf, off, Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8'));
    buf[off + i] = c;
  }
  return off + b.length;
}

/** Writes the decimal digits of a non-negative safe integer; returns the new end. */
function putInt(buf: Buffer, off: number, n: number): number {
  if (n < 10) {
    buf[off] = 0x30 + n;
    return off + 1;
  }
  const digits = String(n);
  for (let i = 0; i < digits.length; i++) buf[off + i] = digits.charCodeAt(i);
  return off + digits.length;
}

/**
 * COPY text of the results the walker yields, as Buffers of 4096 rows written byte by byte: no row
 * string, no Result object per entry. Measured, 1,000,000 results: client CPU for the COPY 4.7 s with
 * template strings from Result objects, see the commit for this one.
 */
function* awardChunks(walker: ResultWalker, deadline: string): Generator<Buffer> {
  const wonTail = Buffer.from(`\twon\t${deadline}\n`);
  const waitTail = Buffer.from('\twaitlisted\t\\N\n');
  walker.idsAsBytes = true; // public ids as bytes from the roster's columns when it was given so: no string per id
  while (!walker.done) {
    const rows: Buffer[] = [];
    let buf = Buffer.allocUnsafe(1 << 20);
    let pos = 0;
    walker.next(4096, (r) => {
      const id = walker.idBytes();
      const idRoom = id ? 2 * id.length : 3 * r.public_id.length; // 2: an escape per byte at most
      const room = wonTail.length + idRoom + 3 * (r.site.length + r.slot.length) + 160;
      if (pos + room > buf.length) {
        rows.push(buf.subarray(0, pos));
        buf = Buffer.allocUnsafe(Math.max(1 << 20, room));
        pos = 0;
      }
      pos = putInt(buf, pos, r.rank);
      buf[pos++] = 0x09;
      pos = id ? putBytesField(buf, pos, id) : putField(buf, pos, r.public_id);
      buf[pos++] = 0x09;
      pos = putField(buf, pos, r.ticket);
      buf[pos++] = 0x09;
      pos = putField(buf, pos, r.outcome);
      buf[pos++] = 0x09;
      pos = putInt(buf, pos, r.amount);
      buf[pos++] = 0x09;
      pos = putField(buf, pos, r.site);
      buf[pos++] = 0x09;
      pos = putField(buf, pos, r.slot);
      buf[pos++] = 0x09;
      pos = putInt(buf, pos, r.waitlist);
      pos += (r.outcome === 'won' ? wonTail : waitTail).copy(buf, pos); // status = outcome, then the deadline
    });
    rows.push(buf.subarray(0, pos));
    yield* rows;
  }
}

/**
 * Every result of a draw in one COPY into the campaign's new awards partition, indexed and attached after
 * (drawPartitions.ts), read from a ResultWalker (drawColumns) without building Result objects.
 */
export async function copyAwards(
  trx: Trx,
  campaignId: string,
  walker: ResultWalker,
  deadline: Date,
): Promise<void> {
  const part = await createLoadingPartition(trx, 'awards', campaignId);
  // Inside a transaction knex hands out the transaction's own connection (and releasing it is a no-op).
  const conn = (await trx.client.acquireConnection()) as pg.PoolClient;
  try {
    const sink = conn.query(
      copyFrom(
        `COPY ${part} (rank, public_id, ticket, outcome, amount, site, slot, waitlist, status, claim_deadline)
         FROM STDIN`,
      ),
    );
    await pipeline(Readable.from(awardChunks(walker, deadline.toISOString())), sink);
  } finally {
    await trx.client.releaseConnection(conn);
  }
  await indexAndAttach(trx, 'awards', campaignId);
}

/**
 * The published results (docs/draw-v1.md §6) in rank order as COPY text (copyLines), the columns in the
 * bundle's key order: amount, outcome, public_id, rank, site, slot, ticket, waitlist.
 */
export function resultsCopyText(db: Db, campaignId: string): AsyncGenerator<Buffer> {
  checkCampaignId(campaignId); // inlined below: COPY takes no parameters
  return copyLines(
    db,
    `SELECT amount, outcome, public_id, rank, site, slot, ticket, waitlist
       FROM awards WHERE campaign_id = '${campaignId}' ORDER BY rank`,
  );
}

export async function findAward(
  db: Db | Trx,
  campaignId: string,
  publicId: string,
): Promise<AwardRow | undefined> {
  return db('awards').where({ campaign_id: campaignId, public_id: publicId }).first();
}

export async function lockAward(
  trx: Trx,
  campaignId: string,
  publicId: string,
): Promise<AwardRow | undefined> {
  return trx('awards').where({ campaign_id: campaignId, public_id: publicId }).forUpdate().first();
}

/** These awards, locked in (campaign, public id) order: batches lock alike, so two never wait in a cycle. */
export async function lockAwards(
  trx: Trx,
  keys: ReadonlyArray<{ campaign_id: string; public_id: string }>,
): Promise<AwardRow[]> {
  if (keys.length === 0) return [];
  const { rows } = await trx.raw(
    `SELECT a.* FROM awards a
       JOIN json_to_recordset(?::json) AS k(campaign_id uuid, public_id text)
         ON a.campaign_id = k.campaign_id AND a.public_id = k.public_id
      ORDER BY a.campaign_id, a.public_id
        FOR UPDATE OF a`,
    [JSON.stringify(keys)],
  );
  return rows;
}

export interface CollectionMark {
  site: string;
  by: string;
  at: Date;
  via: 'counter' | 'offline' | 'admin' | 'payment';
  ref: string | null;
}

/**
 * Marks a held award collected at its site, conditionally: of two staff pressing at the same moment the second
 * waits for the first's row lock, then finds the award no longer held and changes nothing. A fragment, for the
 * statements that record more with it (counterCollections.ts).
 */
export const COLLECT_UPDATE = `UPDATE awards a
        SET status = 'collected', collected_at = ?, collected_by = ?, collected_site = ?, collected_via = ?,
            collected_ref = ?
      WHERE a.campaign_id = ? AND a.public_id = ? AND a.status IN ('won', 'promoted')
        AND ${HELD_SITE} = ?`;

export const collectParams = (campaignId: string, publicId: string, m: CollectionMark) => [
  m.at,
  m.by,
  m.site,
  m.via,
  m.ref,
  campaignId,
  publicId,
  m.site,
];

/** COLLECT_UPDATE for many awards in one statement (each at most once): the keys of those collected. */
export async function markManyCollected(
  trx: Trx,
  marks: ReadonlyArray<{ campaign_id: string; public_id: string; m: CollectionMark }>,
): Promise<Array<{ campaign_id: string; public_id: string }>> {
  if (marks.length === 0) return [];
  const { rows } = await trx.raw(
    `UPDATE awards a
        SET status = 'collected', collected_at = r.at, collected_by = r.by, collected_site = r.site,
            collected_via = r.via, collected_ref = r.ref
       FROM json_to_recordset(?::json)
            AS r(campaign_id uuid, public_id text, at timestamptz, by text, site text, via text, ref text)
      WHERE a.campaign_id = r.campaign_id AND a.public_id = r.public_id AND a.status IN ('won', 'promoted')
        AND ${HELD_SITE} = r.site
      RETURNING a.campaign_id, a.public_id`,
    [JSON.stringify(marks.map(({ campaign_id, public_id, m }) => ({ campaign_id, public_id, ...m })))],
  );
  return rows;
}

/** Marks a held award refused at the counter (conditional, as COLLECT_UPDATE). */
export async function markRefused(
  trx: Trx,
  campaignId: string,
  publicId: string,
  r: { site: string; by: string; at: Date; reason: string },
): Promise<AwardRow | undefined> {
  const { rows } = await trx.raw(
    `UPDATE awards a SET status = 'refused', refused_at = ?, refused_by = ?, refusal_reason = ?
      WHERE a.campaign_id = ? AND a.public_id = ? AND a.status IN ('won', 'promoted') AND ${HELD_SITE} = ?
      RETURNING a.*`,
    [r.at, r.by, r.reason, campaignId, publicId, r.site],
  );
  return rows[0];
}

/** Held awards past their deadline, oldest first, locked and skipped by a concurrent sweep. */
export async function lockExpiredAwards(trx: Trx, now: Date, limit: number): Promise<AwardRow[]> {
  return trx('awards')
    .whereIn('status', ['won', 'promoted'])
    .where('claim_deadline', '<=', now)
    .orderBy([{ column: 'claim_deadline' }, { column: 'campaign_id' }, { column: 'rank' }])
    .limit(limit)
    .forUpdate()
    .skipLocked();
}

export async function markExpired(trx: Trx, a: AwardRow, at: Date): Promise<void> {
  await trx('awards')
    .where({ campaign_id: a.campaign_id, rank: a.rank })
    .update({ status: 'expired', expired_at: at });
}

export interface OutcomeCount {
  outcome: string;
  group: string;
  count: number;
  amount: number;
}

/** Counts and amounts by published outcome and priority group. */
export async function countByOutcomeAndGroup(db: Db, campaignId: string): Promise<OutcomeCount[]> {
  const { rows } = await db.raw(
    `SELECT a.outcome, r.group_name AS "group", count(*)::int AS count, sum(a.amount)::bigint AS amount
       FROM awards a JOIN roster_entries r ON r.campaign_id = a.campaign_id AND r.public_id = a.public_id
      WHERE a.campaign_id = ?
      GROUP BY a.outcome, r.group_name
      ORDER BY a.outcome, r.group_name`,
    [campaignId],
  );
  return rows;
}

/** Counts by current status (collected, expired, promoted, ...). */
export async function countByStatus(
  db: Db,
  campaignId: string,
): Promise<Array<{ status: string; count: number }>> {
  return db('awards')
    .select('status')
    .count<Array<{ status: string; count: number }>>('* as count')
    .where({ campaign_id: campaignId })
    .groupBy('status')
    .orderBy('status');
}

/** Moves a held award's claim deadline (never for an award no longer held). */
export async function setClaimDeadline(trx: Trx, a: AwardRow, deadline: Date): Promise<void> {
  await trx('awards')
    .where({ campaign_id: a.campaign_id, rank: a.rank })
    .whereIn('status', ['won', 'promoted'])
    .update({ claim_deadline: deadline });
}
