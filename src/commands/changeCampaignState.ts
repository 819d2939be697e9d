// The state changes an admin makes by hand: schedule, unschedule, cancel. Opening and closing are never manual.
import { appendAudit } from '../audit/log.js';
import { findCampaign, transitionCampaign } from '../db/repos/campaigns.js';
import { enqueueCancelNotices } from '../db/repos/cancelJobs.js';
import { cancelQueued } from '../db/repos/messageStatus.js';
import { inTransaction } from '../db/transaction.js';
import {
  CANCEL_MESSAGE_MAX,
  CANCELLABLE_STATES,
  type Campaign,
  type CampaignState,
  mayHoldPeople,
  scheduleProblems,
} from '../domain/campaign.js';
import { DomainError, problem } from '../domain/errors.js';
import { MONEY_NOTICES } from '../notify/notice.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';

const MANUAL: Record<string, { from: readonly CampaignState[]; to: CampaignState; action: string }> = {
  schedule: { from: ['draft'], to: 'scheduled', action: 'campaign.scheduled' },
  unschedule: { from: ['scheduled'], to: 'draft', action: 'campaign.unscheduled' },
  cancel: { from: CANCELLABLE_STATES, to: 'cancelled', action: 'campaign.cancelled' },
};

export type ManualChange = 'schedule' | 'unschedule' | 'cancel';

/** Staff's reason (the audit log's), and for a cancel the word to residents (their pages and notices). */
export interface ChangeNote {
  reason?: string;
  /** to residents reading Korean (and to English readers when message_en is not given) */
  message_ko?: string;
  message_en?: string;
}

export async function changeCampaignState(
  ctx: CommandContext,
  actor: Actor,
  id: string,
  change: ManualChange,
  { reason = '', message_ko = '', message_en = '' }: ChangeNote = {},
): Promise<Campaign> {
  const rule = MANUAL[change]!;
  const now = ctx.clock.now();
  // counted in characters, as the schema and the database's check count them (an emoji is one); a fault as a key,
  // worded in the reader's language where it is shown
  const tooLong = Object.entries({ message_ko, message_en }).filter(
    ([, m]) => [...m].length > CANCEL_MESSAGE_MAX,
  );
  if (tooLong.length > 0)
    throw new DomainError('validation_failed', 'The message to residents is too long', {
      problems: tooLong.map(([f]) => problem(f, 'max_chars', { max: CANCEL_MESSAGE_MAX })),
    });
  return inTransaction(ctx.db, async (trx) => {
    const current = await findCampaign(trx, id);
    if (!current) throw new DomainError('not_found', 'No such campaign');
    const problems = change === 'schedule' ? scheduleProblems(current, now) : [];
    if (problems.length > 0)
      throw new DomainError('validation_failed', 'The campaign cannot be scheduled as it is', { problems });
    const moved = await transitionCampaign(
      trx,
      id,
      rule.from,
      rule.to,
      now,
      change === 'cancel'
        ? { cancel_message_ko: message_ko || null, cancel_message_en: message_en || null }
        : {},
    );
    if (!moved) {
      throw new DomainError('invalid_transition', `Cannot ${change} a campaign that is ${current.state}`, {
        details: { state: current.state },
      });
    }
    // A cancelled campaign's notices not yet sent (a turn to buy, a result) would tell people of what is no more;
    // not those of money taken or given back (an instant sale's paid purchases stand, their vouchers issued).
    const unsent =
      change === 'cancel' ? await cancelQueued(trx, id, 'campaign_cancelled', { except: MONEY_NOTICES }) : 0;
    // Those it would have served (applicants, a sale's queue) are told by a job, a batch at a time, once this commits.
    if (change === 'cancel' && mayHoldPeople(current)) await enqueueCancelNotices(trx, id);
    await appendAudit(trx, {
      at: now,
      actor: actorLabel(actor),
      action: rule.action,
      subject: `campaign:${id}`,
      data: {
        from: current.state,
        to: rule.to,
        ...(reason ? { reason } : {}),
        ...(message_ko ? { message_ko } : {}),
        ...(message_en ? { message_en } : {}),
        ...(unsent ? { notices_cancelled: unsent } : {}),
      },
    });
    return moved;
  });
}
