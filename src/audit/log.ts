// Writing to the audit log: always inside the transaction of the change it records.

import type { Trx } from '../db/knex.js';
import { appendAuditRow, appendAuditRows } from '../db/repos/audit.js';
import { bodyAroundSeq } from './chain.js';

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

function entryOf(input: AuditInput) {
  return {
    at: new Date(Math.floor(input.at.getTime())),
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    data: input.data ?? {},
  };
}

/** One round trip under the chain's lock: the database numbers, chains and hashes the entry (audit_append). */
export async function appendAudit(trx: Trx, input: AuditInput): Promise<void> {
  const entry = entryOf(input);
  await appendAuditRow(trx, entry, bodyAroundSeq(entry));
}

/** Many entries, in this order, in one round trip under the chain's lock (a batch of recorded events). */
export async function appendAuditBatch(trx: Trx, inputs: readonly AuditInput[]): Promise<void> {
  await appendAuditRows(
    trx,
    inputs.map((input) => {
      const e = entryOf(input);
      return { e, body: bodyAroundSeq(e) };
    }),
  );
}
