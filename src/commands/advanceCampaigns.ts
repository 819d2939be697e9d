// The reconciler's use case: move every campaign whose moment has come, each move audited in its transaction.
import { appendAudit } from '../audit/log.js';
import type { Trx } from '../db/knex.js';
import { listDueCampaignIds, transitionCampaign } from '../db/repos/campaigns.js';
import { type Campaign, TIMED_TRANSITIONS, type TimedTransition } from '../domain/campaign.js';
import type { CommandContext } from './context.js';

export interface Advanced {
  campaign: Campaign;
  transition: TimedTransition;
}

/** Follow-up work a transition enqueues in the same transaction (the draw, notices). */
export type TransitionHook = (trx: Trx, moved: Advanced, now: Date) => Promise<void>;

// A campaign that missed several moments (the service was down) passes through each in order.
const MAX_ROUNDS = TIMED_TRANSITIONS.length + 1;

/**
 * One transaction per campaign move, taking the row lock before the audit lock as every other
 * command does (one big transaction could deadlock against an admin's edit). The conditional
 * update means that when several instances race, exactly one of them moves each campaign.
 */
export async function advanceCampaigns(
  ctx: CommandContext,
  hooks: TransitionHook[] = [],
): Promise<Advanced[]> {
  const now = ctx.clock.now();
  const all: Advanced[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let movedThisRound = 0;
    for (const transition of TIMED_TRANSITIONS) {
      for (const id of await listDueCampaignIds(ctx.db, transition, now)) {
        const advanced = await ctx.db.transaction(async (trx) => {
          const campaign = await transitionCampaign(trx, id, [transition.from], transition.to, now);
          if (!campaign) return undefined; // another instance got there first
          const moved = { campaign, transition };
          // Hooks first: the audit chain's lock is held from the first entry to the commit, and a close
          // freezes the roster (seconds at a million applications), which must not stall every audited write.
          for (const hook of hooks) await hook(trx, moved, now);
          await appendAudit(trx, {
            at: now,
            actor: 'system:reconciler',
            action: transition.action,
            subject: `campaign:${id}`,
            data: { from: transition.from, to: transition.to, due: campaign[transition.at].toISOString() },
          });
          return moved;
        });
        if (advanced) {
          all.push(advanced);
          movedThisRound++;
        }
      }
    }
    if (movedThisRound === 0) break;
  }
  return all;
}
