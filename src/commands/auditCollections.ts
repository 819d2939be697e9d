// Collections into the audit log, a batch at a time. A collection is recorded in its own transaction
// (counter_collections: the staff account, the site, how the award was found); this reconciler step appends
// one award.collected entry per recorded collection, with that staff account as the actor, exactly once
// (each record is marked in the transaction that appends its entry). Appending in the collection's own
// transaction made every counter of the city queue on the chain's one lock, held through each commit.
import { type AuditInput, appendAuditBatch } from '../audit/log.js';
import type { Trx } from '../db/knex.js';
import { markCollectionsAudited, type PendingCollection } from '../db/repos/counterCollections.js';
import type { CommandContext } from './context.js';

const BATCH = 500;

/** The entry a collection appended in its own transaction used to write, with the same fields. */
function entryOf(c: PendingCollection): AuditInput {
  return {
    at: c.recorded_at,
    actor: c.actor,
    action: 'award.collected',
    subject: `campaign:${c.campaign_id}`,
    data: {
      public_id: c.public_id,
      rank: c.rank,
      site: c.site_id,
      slot: c.slot_id,
      amount: c.amount,
      via: c.via,
      code: c.found_by,
      ...(c.offline_ref !== null
        ? { handed_over_at: c.handed_over_at?.toISOString() ?? null, offline_ref: c.offline_ref }
        : {}),
    },
  };
}

/**
 * In the caller's transaction: recorded collections (of one award when given) into the audit log, oldest
 * first; how many. A flag on a double collection calls it first, so the log names the first one before it.
 */
export async function appendRecordedCollections(
  trx: Trx,
  now: Date,
  limit: number,
  award?: { campaign_id: string; public_id: string },
): Promise<number> {
  const batch = await markCollectionsAudited(trx, now, limit, award);
  await appendAuditBatch(trx, batch.map(entryOf));
  return batch.length;
}

/** One reconciler step: every collection recorded so far into the audit log, BATCH per transaction. */
export async function auditCollections(ctx: CommandContext): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await ctx.db.transaction((trx) => appendRecordedCollections(trx, ctx.clock.now(), BATCH));
    total += n;
    if (n < BATCH) return total;
  }
}
