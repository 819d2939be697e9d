// The audit chain's check without reading the whole log per request: a background job checks it from the
// genesis every ten minutes and stores the last verified row as a checkpoint; a request checks that the
// checkpoint row still carries its hash and the rows after it, in batches. An edit before the checkpoint is
// still found by the next full check, which then refuses to store a checkpoint past the break.
import { type ChainCheck, type ChainPoint, checkChainFrom, GENESIS, hashEntry } from '../audit/chain.js';
import type { Db } from '../db/knex.js';
import { auditRowAt, auditRowsAfter, latestAuditCheckpoint, saveAuditCheckpoint } from '../db/repos/audit.js';

const BATCH = 5000;

export type ChainReport = ChainCheck & {
  /** the seq the check started after (0: the genesis) */
  checked_from: number;
  /** when the rows up to checked_from were last checked from the genesis */
  full_check_at: string | null;
};

/** Checks the rows after `from` in batches; the last row checked and its verdict. */
async function checkAfter(db: Db, from: ChainPoint): Promise<{ check: ChainCheck; last: ChainPoint }> {
  let last = from;
  for (;;) {
    const rows = await auditRowsAfter(db, last.seq, BATCH);
    const check = checkChainFrom(last, rows);
    if (!check.ok || rows.length < BATCH) {
      const end = rows.at(-1);
      return { check, last: check.ok && end ? { seq: end.seq, hash: end.hash } : last };
    }
    last = { seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash };
  }
}

/** The chain from the stored checkpoint on (from the genesis when there is none). */
export async function checkAuditChain(ctx: { db: Db }): Promise<ChainReport> {
  const cp = await latestAuditCheckpoint(ctx.db);
  let from: ChainPoint = GENESIS;
  if (cp) {
    const row = await auditRowAt(ctx.db, cp.seq);
    // the row must still carry the checked hash, and its content must still hash to it
    if (row?.hash !== cp.hash || hashEntry(row.prev_hash, row) !== cp.hash) {
      const reason = row ? 'row changed since it was checked' : 'sequence gap';
      return {
        ok: false,
        length: cp.seq,
        brokenAt: cp.seq,
        reason,
        checked_from: cp.seq,
        full_check_at: null,
      };
    }
    from = { seq: cp.seq, hash: cp.hash };
  }
  const { check } = await checkAfter(ctx.db, from);
  return { ...check, checked_from: from.seq, full_check_at: cp ? cp.checked_at.toISOString() : null };
}

/** The background job: the whole chain from the genesis, and a checkpoint at its end when it holds. */
export async function recordAuditCheckpoint(ctx: { db: Db }, now: Date): Promise<ChainCheck> {
  const { check, last } = await checkAfter(ctx.db, GENESIS);
  if (check.ok && last.seq > 0) await saveAuditCheckpoint(ctx.db, { ...last, checked_at: now });
  return check;
}
