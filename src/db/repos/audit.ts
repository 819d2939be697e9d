import type { AuditRow } from '../../audit/chain.js';
import type { Db, Trx } from '../knex.js';

/** Extends the chain by one entry (migrations/20261203900600_audit_append.ts); the lock is held until commit. */
export async function appendAuditRow(
  trx: Trx,
  e: Pick<AuditRow, 'at' | 'actor' | 'action' | 'subject' | 'data'>,
  [before, after]: [string, string],
): Promise<void> {
  await trx.raw('SELECT audit_append(?, ?, ?, ?, ?, ?, ?)', [
    e.at,
    e.actor,
    e.action,
    e.subject,
    JSON.stringify(e.data),
    before,
    after,
  ]);
}

/**
 * Extends the chain by these entries in this order, in one statement: audit_append once per entry, evaluated
 * after the ORDER BY (PostgreSQL postpones volatile output expressions past the sort).
 */
export async function appendAuditRows(
  trx: Trx,
  entries: ReadonlyArray<{
    e: Pick<AuditRow, 'at' | 'actor' | 'action' | 'subject' | 'data'>;
    body: [string, string];
  }>,
): Promise<void> {
  if (entries.length === 0) return;
  const col = <T>(f: (x: (typeof entries)[number]) => T) => entries.map(f);
  await trx.raw(
    `SELECT audit_append(e.at, e.actor, e.action, e.subject, e.data, e.before, e.after)
       FROM unnest(?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::jsonb[], ?::text[], ?::text[])
            WITH ORDINALITY AS e(at, actor, action, subject, data, before, after, n)
      ORDER BY e.n`,
    [
      col((x) => x.e.at),
      col((x) => x.e.actor),
      col((x) => x.e.action),
      col((x) => x.e.subject),
      col((x) => JSON.stringify(x.e.data)),
      col((x) => x.body[0]),
      col((x) => x.body[1]),
    ],
  );
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
