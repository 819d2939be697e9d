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
