// Admin view of a campaign's notices: counts by channel and status, recent failures, and retrying them.
import type Router from '@koa/router';
import { retryFailedMessages } from '../../../commands/retryMessages.js';
import { findCampaign } from '../../../db/repos/campaigns.js';
import { countByChannelAndStatus, listFailed } from '../../../db/repos/messageAdmin.js';
import { MESSAGE_STATUSES } from '../../../db/repos/messageStatus.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import { requireStaff, staffActor } from '../../middleware/staffAuth.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import { retrySchema } from './schema.js';

function emptyCounts(): Record<string, number> {
  return Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0]));
}

/** A campaign's notices: counts by status in all and per channel, and the latest failures. */
export async function messageOverview(db: AppDeps['db'], id: string) {
  const rows = await countByChannelAndStatus(db, id);
  const total = emptyCounts();
  const byChannel: Record<string, Record<string, number>> = { sms: emptyCounts(), email: emptyCounts() };
  for (const r of rows) {
    const n = Number(r.count);
    const channel = byChannel[r.channel] ?? emptyCounts();
    channel[r.status] = n;
    byChannel[r.channel] = channel;
    total[r.status] = (total[r.status] ?? 0) + n;
  }
  const failed = await listFailed(db, id, 100);
  return { campaign_id: id, counts: { total, ...byChannel }, recent_failures: failed };
}

export function messageApiRoutes(router: Router, deps: AppDeps): void {
  router.get('/api/admin/campaigns/:id/messages', requireStaff('admin', 'auditor'), async (ctx) => {
    const id = parseId(ctx.params.id);
    if (!(await findCampaign(deps.db, id))) throw new DomainError('not_found', 'No such campaign');
    ctx.body = await messageOverview(deps.db, id);
  });

  router.post('/api/admin/campaigns/:id/messages/retry', requireStaff('admin'), async (ctx) => {
    const id = parseId(ctx.params.id);
    const input = parse(retrySchema, bodyOf(ctx));
    const result = await retryFailedMessages(
      { db: deps.db, clock: deps.clock },
      staffActor(ctx.state.staff),
      id,
      input.ids,
    );
    ctx.body = result;
  });
}
