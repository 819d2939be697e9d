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

/** Rows must be the whole log in seq order. */
export function checkChain(rows: AuditRow[]): ChainCheck {
  let prev = GENESIS_HASH;
  for (const [i, row] of rows.entries()) {
    if (row.seq !== i + 1)
      return { ok: false, length: rows.length, brokenAt: row.seq, reason: 'sequence gap' };
    if (row.prev_hash !== prev)
      return { ok: false, length: rows.length, brokenAt: row.seq, reason: 'previous hash does not match' };
    if (hashEntry(prev, row) !== row.hash)
      return {
        ok: false,
        length: rows.length,
        brokenAt: row.seq,
        reason: 'row content does not match its hash',
      };
    prev = row.hash;
  }
  return { ok: true, length: rows.length };
}
