// The hash chain: each row's hash covers its content and the previous row's hash, so an edit breaks the chain there.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  subject: string;
  data: Record<string, unknown>;
}

export interface AuditRow extends AuditEntry {
  prev_hash: string;
  hash: string;
}

/** The canonical bytes an entry's hash covers (after the previous hash and a newline). */
function entryBody(entry: AuditEntry): string {
  return canonicalJson({
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    data: entry.data as never,
  });
}

export function hashEntry(prevHash: string, entry: AuditEntry): string {
  return createHash('sha256')
    .update(`${prevHash}\n${entryBody(entry)}`)
    .digest('hex');
}

/**
 * The body of an entry whose sequence number the database assigns (audit_append): the canonical text before
 * and after the number. Keys are sorted, so seq sits between data and subject: the last `"seq":0,"subject":`
 * is the entry's own (a string in data cannot hold an unescaped quote, and data comes before it).
 */
export function bodyAroundSeq(entry: Omit<AuditEntry, 'seq'>): [string, string] {
  const body = entryBody({ ...entry, seq: 0 });
  const at = body.lastIndexOf(',"seq":0,"subject":');
  return [body.slice(0, at + ',"seq":'.length), body.slice(at + ',"seq":0'.length)];
}

export type ChainCheck =
  | { ok: true; length: number }
  | { ok: false; length: number; brokenAt: number; reason: string };

/** Where a check starts: the genesis, or a row already checked (its seq and hash). */
export interface ChainPoint {
  seq: number;
  hash: string;
}

export const GENESIS: ChainPoint = { seq: 0, hash: GENESIS_HASH };

/**
 * Checks rows that continue the chain after `from` (seq from.seq + 1 on, in order); `length` is the seq of
 * the last row checked. checkChain(rows) is checkChainFrom(GENESIS, rows) over the whole log.
 */
export function checkChainFrom(from: ChainPoint, rows: readonly AuditRow[]): ChainCheck {
  let prev = from.hash;
  const broken = (row: AuditRow, reason: string): ChainCheck => ({
    ok: false,
    length: from.seq + rows.length,
    brokenAt: row.seq,
    reason,
  });
  for (const [i, row] of rows.entries()) {
    if (row.seq !== from.seq + i + 1) return broken(row, 'sequence gap');
    if (row.prev_hash !== prev) return broken(row, 'previous hash does not match');
    if (hashEntry(prev, row) !== row.hash) return broken(row, 'row content does not match its hash');
    prev = row.hash;
  }
  return { ok: true, length: from.seq + rows.length };
}

/** Rows must be the whole log in seq order. */
export function checkChain(rows: readonly AuditRow[]): ChainCheck {
  return checkChainFrom(GENESIS, rows);
}
