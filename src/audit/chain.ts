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

export function hashEntry(prevHash: string, entry: AuditEntry): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    data: entry.data as never,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
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
