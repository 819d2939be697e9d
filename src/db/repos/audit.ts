import type { AuditRow } from '../../audit/chain.js';
import type { Db, Trx } from '../knex.js';

// One writer at a time extends the chain; the lock is released at commit.
export async function lockChain(trx: Trx): Promise<void> {
  await trx.raw(`SELECT pg_advisory_xact_lock(hashtext('audit_log'))`);
}

export async function lastAuditRow(trx: Trx): Promise<Pick<AuditRow, 'seq' | 'hash'> | undefined> {
  return trx('audit_log').select('seq', 'hash').orderBy('seq', 'desc').first();
}

export async function insertAuditRow(trx: Trx, row: AuditRow): Promise<void> {
  await trx('audit_log').insert({ ...row, data: JSON.stringify(row.data) });
}

export async function listAuditRows(db: Db, opts: { subject?: string } = {}): Promise<AuditRow[]> {
  const q = db('audit_log').select('*').orderBy('seq', 'asc');
  if (opts.subject) q.where({ subject: opts.subject });
  return q;
}

/** Up to `limit` rows after seq `after`, in seq order (a chain check's batch, the API's page). */
export async function auditRowsAfter(
  db: Db,
  after: number,
  limit: number,
  opts: { subject?: string } = {},
): Promise<AuditRow[]> {
  const q = db('audit_log').select('*').where('seq', '>', after).orderBy('seq', 'asc').limit(limit);
  if (opts.subject) q.where({ subject: opts.subject });
  return q;
}

/** Up to `limit` rows before seq `before` (all when undefined), newest first (the page). */
export async function auditRowsBefore(
  db: Db,
  before: number | undefined,
  limit: number,
  opts: { subject?: string } = {},
): Promise<AuditRow[]> {
  const q = db('audit_log').select('*').orderBy('seq', 'desc').limit(limit);
  if (before !== undefined) q.where('seq', '<', before);
  if (opts.subject) q.where({ subject: opts.subject });
  return q;
}

export async function countAuditRows(db: Db, opts: { subject?: string } = {}): Promise<number> {
  const q = db('audit_log').count<{ n: number }[]>('* as n');
  if (opts.subject) q.where({ subject: opts.subject });
  return Number((await q)[0]?.n ?? 0);
}

export async function auditRowAt(db: Db, seq: number): Promise<AuditRow | undefined> {
  return db('audit_log').where({ seq }).first();
}

export interface AuditCheckpoint {
  seq: number;
  hash: string;
  checked_at: Date;
}

export async function latestAuditCheckpoint(db: Db): Promise<AuditCheckpoint | undefined> {
  return db('audit_checkpoints').orderBy('seq', 'desc').first();
}

export async function saveAuditCheckpoint(db: Db, cp: AuditCheckpoint): Promise<void> {
  await db('audit_checkpoints').insert(cp).onConflict('seq').ignore();
}
