// An admin sends a campaign's failed (or undelivered) messages again: back to the queue, audited.
import { appendAudit } from '../audit/log.js';
import { findCampaign } from '../db/repos/campaigns.js';
import { requeueFailed } from '../db/repos/messageAdmin.js';
import { inTransaction } from '../db/transaction.js';
import { DomainError } from '../domain/errors.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';

export async function retryFailedMessages(
  ctx: CommandContext,
  actor: Actor,
  campaignId: string,
  ids?: string[],
): Promise<{ requeued: number }> {
  return inTransaction(ctx.db, async (trx) => {
    if (!(await findCampaign(trx, campaignId))) throw new DomainError('not_found', 'No such campaign');
    const requeued = await requeueFailed(trx, campaignId, ids);
    if (requeued.length) {
      await appendAudit(trx, {
        at: ctx.clock.now(),
        actor: actorLabel(actor),
        action: 'messages.retried',
        subject: `campaign:${campaignId}`,
        data: { count: requeued.length },
      });
    }
    return { requeued: requeued.length };
  });
}
