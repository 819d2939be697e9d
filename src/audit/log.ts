// Writing to the audit log: always inside the transaction of the change it records.

import type { Trx } from '../db/knex.js';
import { insertAuditRow, lastAuditRow, lockChain } from '../db/repos/audit.js';
import { GENESIS_HASH, hashEntry } from './chain.js';

export interface AuditInput {
  at: Date;
  /** who did it: 'staff:<id>', 'system:<name>' (the reconciler, a job, a webhook: actorLabel), or 'resident:<public id or identity>' */
  actor: string;
  /** dotted, e.g. 'campaign.opened' */
  action: string;
  /** 'campaign:<id>' */
  subject: string;
  data?: Record<string, unknown>;
}

export async function appendAudit(trx: Trx, input: AuditInput): Promise<void> {
  await lockChain(trx);
  const last = await lastAuditRow(trx);
  const entry = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date(Math.floor(input.at.getTime())),
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    data: input.data ?? {},
  };
  const prev = last?.hash ?? GENESIS_HASH;
  await insertAuditRow(trx, { ...entry, prev_hash: prev, hash: hashEntry(prev, entry) });
}
