// Refusing at the counter: the ID does not match the declared birth year, or the proof of a priority group is
// missing. The award is released exactly once (a conditional UPDATE), audited with the staff member and the
// site, and passes down the waitlist as an expiry does (passDown.ts); counts and stock move in the same
// transaction.
import { appendAudit } from '../audit/log.js';
import { markRefused } from '../db/repos/awards.js';
import { moveDrawCounts, type StatusMove } from '../db/repos/drawCounts.js';
import { inTransaction } from '../db/transaction.js';
import { DomainError } from '../domain/errors.js';
import {
  type CounterContext,
  type CounterStaff,
  counterSite,
  findClaim,
  loadCounterView,
  notCollectableReason,
} from './counterClaim.js';
import { passDown } from './passDown.js';

export const REFUSAL_REASONS = ['id_mismatch', 'no_group_proof', 'no_id', 'other'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface Refusal {
  campaign_id: string;
  public_id: string;
  site_id: string;
  reason: RefusalReason;
  refused_at: Date;
  /** the waitlisted applicant the award passed to, if any */
  passed_to: string | null;
}

export async function refuseAtCounter(
  ctx: CounterContext,
  staff: CounterStaff,
  siteId: string,
  code: string,
  reason: RefusalReason,
  note = '',
): Promise<Refusal> {
  const now = ctx.clock.now();
  const site = await counterSite(ctx.db, staff, siteId);
  const claim = await findClaim(ctx, code, now);
  return inTransaction(ctx.db, async (trx) => {
    const v = await loadCounterView(trx, claim);
    // Refusing needs the award held here and now, as handing it over would.
    const why = await notCollectableReason(trx, v, site, now);
    if (why) throw why;
    const row = await markRefused(trx, claim.campaign_id, claim.public_id, {
      site: siteId,
      by: `staff:${staff.id}`,
      at: now,
      reason,
    });
    if (!row) {
      const after = await loadCounterView(trx, claim);
      throw (
        (await notCollectableReason(trx, after, site, now)) ??
        new DomainError('conflict', 'The award changed meanwhile; try again')
      );
    }
    // Appended here, not later as collections are: its pass-down appends the promotion it causes (under the
    // campaign's promotion lock) in this transaction, and the log must name the refusal before that promotion.
    await appendAudit(trx, {
      at: now,
      actor: `staff:${staff.id}`,
      action: 'award.refused',
      subject: `campaign:${claim.campaign_id}`,
      data: {
        public_id: claim.public_id,
        rank: row.rank,
        site: siteId,
        slot: v.held.slot,
        amount: v.held.amount,
        reason,
        ...(note ? { note } : {}),
      },
    });
    const moves: StatusMove[] = [{ public_id: claim.public_id, from: v.award.status, to: 'refused' }];
    const scope = { trx, now, places: new Map(), rooms: new Map() };
    await passDown(ctx, scope, v.campaign, row, moves, `staff:${staff.id}`);
    await moveDrawCounts(trx, claim.campaign_id, moves);
    return {
      campaign_id: claim.campaign_id,
      public_id: claim.public_id,
      site_id: siteId,
      reason,
      refused_at: now,
      passed_to: moves[1]?.public_id ?? null,
    };
  });
}
