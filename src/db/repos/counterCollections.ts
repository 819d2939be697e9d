// Collections made at a counter (or by an admin's correction), recorded in the collection's own transaction
// with the staff account and the site, and appended to the audit log later in batches (auditCollections.ts).
import { type Batched, batched } from '../batch.js';
import type { Db, Trx } from '../knex.js';
import { preparedStatement } from '../prepared.js';
import { type AwardRow, COLLECT_UPDATE, type CollectionMark, collectParams } from './awards.js';
import { type ClaimKey, HELD_AMOUNT, HELD_SITE, HELD_SLOT } from './counterAwards.js';
import { MOVE_COUNTS_CTES, moveColumns, READY_CTE } from './drawCounts.js';

/** What the audit entry of a collection says besides the award's own place. */
export interface CollectionRecord {
  /** 'staff:<id>' */
  actor: string;
  found_by: 'code' | 'token';
  recorded_at: Date;
  handed_over_at: Date | null;
}

// A collected award was 'won' at the draw or 'promoted' since (promoted_from_rank set), nothing else.
const COLLECTED_FROM = `CASE WHEN a.promoted_from_rank IS NULL THEN 'won' ELSE 'promoted' END`;

/** CTE `rec`: the record of each collection in CTE `u`; params actor, found_by, recorded_at, then `tail`'s. */
const recordCte = (tail: string) => `rec AS (
       INSERT INTO counter_collections (campaign_id, public_id, rank, site_id, slot_id, amount, actor, via,
                                        found_by, recorded_at, handed_over_at, offline_ref)
       SELECT u.campaign_id, u.public_id, u.rank, u.collected_site, u.record_slot, u.record_amount, ?,
              u.collected_via, ?, ?, ${tail}
         FROM u
     )`;

export interface CollectOutcome {
  /** the award as updated, or undefined when it was not (no longer held there, or counts not ready) */
  award: AwardRow | undefined;
  /** whether the campaign's counts were ready (and so moved with the collection) */
  countsReady: boolean;
}

/**
 * One round trip for a whole collection: the award's conditional UPDATE (COLLECT_UPDATE) (so exactly once under a double
 * press), the record of the collection, and the counts and stock moved (drawCounts.ts). With `onlyIfReady`
 * nothing changes unless the counts are ready: the caller then takes the counts' shared lock and calls again
 * without it (moveDrawCounts' protocol), so a collection racing the first computation is counted once.
 *
 * A statement of its own (no BEGIN, SET LOCAL, COMMIT: three round trips fewer) still waits at most
 * `lockTimeoutMs` for a row lock: the first thing it evaluates, before the UPDATE reaches a row, sets
 * lock_timeout for its own transaction (set_config(..., true)), so a lock held elsewhere fails it with
 * 55P03 as inTransaction's SET LOCAL would.
 */
export async function collectRecordAndCount(
  db: Db | Trx,
  campaignId: string,
  publicId: string,
  m: CollectionMark,
  r: CollectionRecord,
  onlyIfReady: boolean,
  lockTimeoutMs: number,
): Promise<CollectOutcome> {
  const { rows } = await db.raw(
    `WITH bounded AS (SELECT set_config('lock_timeout', ?, true) AS lock_timeout), ${READY_CTE},
     u AS (${COLLECT_UPDATE} AND (SELECT lock_timeout IS NOT NULL FROM bounded)
             AND (NOT ?::boolean OR (SELECT ok FROM ready))
           RETURNING a.*, ${HELD_SLOT} AS record_slot, ${HELD_AMOUNT} AS record_amount),
     ${recordCte('?, u.collected_ref')},
     m AS (SELECT ${moveColumns(COLLECTED_FROM, "'collected'")} FROM u a WHERE (SELECT ok FROM ready)),
     ${MOVE_COUNTS_CTES}
     SELECT ready.ok AS counts_ready, u.* FROM ready LEFT JOIN u ON true`,
    [
      String(Math.max(1, Math.floor(lockTimeoutMs))),
      campaignId,
      ...collectParams(campaignId, publicId, m),
      onlyIfReady,
      r.actor,
      r.found_by,
      r.recorded_at,
      r.handed_over_at,
    ],
  );
  const {
    counts_ready,
    record_slot: _s,
    record_amount: _a,
    ...award
  } = rows[0] as AwardRow & {
    counts_ready: boolean;
    record_slot?: unknown;
    record_amount?: unknown;
  };
  return { award: award.public_id ? (award as AwardRow) : undefined, countsReady: counts_ready };
}

/** One press collectManyIfClear tries: the claim, the collection's mark (no offline ref) and its record's facts. */
export interface ClearPress {
  claim: ClaimKey;
  mark: Omit<CollectionMark, 'ref'>;
  record: Omit<CollectionRecord, 'handed_over_at'>;
}

// Presses read from one JSON array (one parameter, one plan for any count): a typed code by its digest (hex),
// a scanned token by its campaign and public id. Named, so it is parsed and planned once per connection.
// CTE `l` takes the awards' row locks first (the UPDATE's own kind) and SKIPS any held elsewhere (a press on
// the long way, a refusal, the other lane's batch with the same award): waiting there held the whole batch up to
// the lock timeout, and two batches holding each other's doubled awards deadlocked; a skipped press answers
// undefined and its caller takes the long way, which waits for that one row and explains (409 once it is spent).
const COLLECT_MANY_SQL = `WITH bounded AS (SELECT set_config('lock_timeout', :lock_timeout, true) AS lock_timeout),
     p AS (SELECT * FROM json_to_recordset(:presses::json) AS p(n int, digest text, campaign_id uuid,
             public_id text, site text, collected_by text, via text, at timestamptz, actor text, found_by text,
             recorded_at timestamptz)),
     k AS (SELECT p.*, coalesce(cc.campaign_id, p.campaign_id) AS k_campaign_id,
                  coalesce(cc.public_id, p.public_id) AS k_public_id
             FROM p LEFT JOIN claim_codes cc ON p.digest IS NOT NULL AND cc.digest = decode(p.digest, 'hex')),
     l AS (SELECT a.campaign_id, a.public_id FROM awards a
            WHERE (a.campaign_id, a.public_id) IN (SELECT k_campaign_id, k_public_id FROM k)
              AND a.status IN ('won', 'promoted')
            FOR NO KEY UPDATE SKIP LOCKED),
     u AS (
       UPDATE awards a
          SET status = 'collected', collected_at = k.at, collected_by = k.collected_by, collected_site = k.site,
              collected_via = k.via, collected_ref = NULL
         FROM k, l, campaigns c, sites st
        WHERE a.campaign_id = k.k_campaign_id AND a.public_id = k.k_public_id AND c.id = a.campaign_id
          AND l.campaign_id = a.campaign_id AND l.public_id = a.public_id
          AND st.id = k.site AND a.status IN ('won', 'promoted') AND ${HELD_SITE} = st.id
          AND (SELECT lock_timeout IS NOT NULL FROM bounded)
          AND EXISTS (SELECT 1 FROM draw_counts_ready d WHERE d.campaign_id = a.campaign_id)
          AND k.at >= c.claim_opens_at
          AND (a.claim_deadline IS NULL OR k.at <= a.claim_deadline)
          AND (coalesce(${HELD_SLOT}, '') = '' OR EXISTS (
                SELECT 1 FROM campaign_slots s
                 WHERE s.campaign_id = a.campaign_id AND s.id = ${HELD_SLOT}
                   AND k.at >= s.starts_at - st.pickup_grace_minutes * interval '1 minute'))
       RETURNING a.*, ${HELD_SLOT} AS record_slot, ${HELD_AMOUNT} AS record_amount, k.n AS press_n,
                 k.actor AS record_actor, k.found_by AS record_found_by, k.recorded_at AS record_at),
     rec AS (
       INSERT INTO counter_collections (campaign_id, public_id, rank, site_id, slot_id, amount, actor, via,
                                        found_by, recorded_at, handed_over_at, offline_ref)
       SELECT u.campaign_id, u.public_id, u.rank, u.collected_site, u.record_slot, u.record_amount, u.record_actor,
              u.collected_via, u.record_found_by, u.record_at, NULL, NULL
         FROM u
     ),
     m AS (SELECT ${moveColumns(COLLECTED_FROM, "'collected'")} FROM u a),
     ${MOVE_COUNTS_CTES}
     SELECT u.* FROM u`;
const collectMany = preparedStatement('collect_many_if_clear', COLLECT_MANY_SQL);

/**
 * Typed or scanned codes collected in one statement and one commit, when nothing stands in the way of each: the
 * award behind the claim, held at `mark.site`, inside its claim window and past its slot's start (less the
 * site's grace), with the campaign's counts ready; recorded and counted as collectRecordAndCount does. The time
 * conditions are the counter's rule (domain/counter.ts) and never laxer: whatever they leave out (any refusal,
 * a boundary they judge more strictly) answers undefined, and that caller reads the award and judges it the
 * long way, as does an award whose row another transaction holds (skipped, never waited for). Two presses of
 * one award in one call: the award is updated once, for one of them. Atomic: when it fails (a lock timeout on
 * a counts or stock row), nothing of it was written. A statement of its own
 * (no BEGIN, SET LOCAL, COMMIT) still waits at most `lockTimeoutMs` for a row lock (set_config(..., true)).
 */
export async function collectManyIfClear(
  db: Db | Trx,
  presses: ClearPress[],
  lockTimeoutMs: number,
): Promise<Array<AwardRow | undefined>> {
  const rows = presses.map(({ claim, mark, record }, n) => ({
    n,
    ...('digest' in claim ? { digest: claim.digest.toString('hex') } : claim),
    site: mark.site,
    collected_by: mark.by,
    via: mark.via,
    at: mark.at,
    actor: record.actor,
    found_by: record.found_by,
    recorded_at: record.recorded_at,
  }));
  const { rows: out } = await collectMany<AwardRow & { press_n: number } & Record<string, unknown>>(db, {
    lock_timeout: String(Math.max(1, Math.floor(lockTimeoutMs))),
    presses: JSON.stringify(rows),
  });
  const answers: Array<AwardRow | undefined> = presses.map(() => undefined);
  for (const row of out) {
    const {
      press_n,
      record_slot: _s,
      record_amount: _a,
      record_actor: _r,
      record_found_by: _f,
      record_at: _t,
      ...award
    } = row;
    answers[press_n] = award as unknown as AwardRow;
  }
  return answers;
}

/**
 * collectManyIfClear for a process's concurrent presses (group commit, db/batch.ts): presses arriving while
 * `lanes` statements are at the database go together, so the counters' commits share one WAL flush.
 */
export function batchedClearCollections(
  db: Db,
  lanes: number,
  lockTimeoutMs: number,
): Batched<ClearPress, AwardRow | undefined> {
  const many = (ps: ClearPress[]) => collectManyIfClear(db, ps, lockTimeoutMs);
  return batched({ one: async (p) => (await many([p]))[0], many, lanes, maxBatch: 64 });
}

export interface PendingCollection {
  campaign_id: string;
  public_id: string;
  rank: number;
  site_id: string;
  slot_id: string;
  amount: number;
  actor: string;
  via: string;
  found_by: string;
  recorded_at: Date;
  handed_over_at: Date | null;
  offline_ref: string | null;
}

/**
 * Up to `limit` collections not yet in the audit log (of one award when `award` is given), oldest first,
 * marked as audited now; rows another pass holds are skipped, so two passes never take the same one.
 */
export async function markCollectionsAudited(
  trx: Trx,
  now: Date,
  limit: number,
  award?: { campaign_id: string; public_id: string },
): Promise<PendingCollection[]> {
  const { rows } = await trx.raw(
    `UPDATE counter_collections c SET audited_at = :now
       FROM (SELECT campaign_id, public_id FROM counter_collections
              WHERE audited_at IS NULL
                AND (:campaign_id::uuid IS NULL OR (campaign_id = :campaign_id::uuid AND public_id = :public_id))
              ORDER BY recorded_at, campaign_id, public_id LIMIT :limit FOR UPDATE SKIP LOCKED) p
      WHERE c.campaign_id = p.campaign_id AND c.public_id = p.public_id
      RETURNING c.*`,
    { now, limit, campaign_id: award?.campaign_id ?? null, public_id: award?.public_id ?? null },
  );
  return (rows as PendingCollection[])
    .map((r) => ({ ...r, amount: Number(r.amount) }))
    .sort(
      (a, b) =>
        a.recorded_at.getTime() - b.recorded_at.getTime() ||
        (a.campaign_id < b.campaign_id ? -1 : a.campaign_id > b.campaign_id ? 1 : 0) ||
        (a.public_id < b.public_id ? -1 : a.public_id > b.public_id ? 1 : 0),
    );
}
