// The admin page for a campaign's notices: how many SMS and emails are waiting, sent, delivered or failed, the
// latest failures (recipients masked), and a button to resend the failed ones (commands/retryMessages).
import type Router from '@koa/router';
import type { Context } from 'koa';
import { retryFailedMessages } from '../../../commands/retryMessages.js';
import { findCampaign } from '../../../db/repos/campaigns.js';
import type { Campaign } from '../../../domain/campaign.js';
import { DomainError } from '../../../domain/errors.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import type { AppDeps } from '../../deps.js';
import type { StaffSession } from '../../middleware/staffAuth.js';
import { staffActor } from '../../middleware/staffAuth.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { render } from '../../render.js';
import { parseId } from '../../validate.js';
import { formatMoment } from '../campaigns/view.js';
import { messageOverview } from './api.js';

export function messagePageRoutes(router: Router, deps: AppDeps): void {
  async function load(ctx: Context): Promise<Campaign> {
    const c = await findCampaign(deps.db, parseId(ctx.params.id));
    if (!c) throw new DomainError('not_found', 'No such campaign');
    return c;
  }

  router.get('/admin/campaigns/:id/messages', requireStaffPage('admin', 'auditor'), async (ctx) => {
    const c = await load(ctx);
    const t = ctx.state.t as Translate;
    const lang = ctx.state.lang as Lang;
    const o = await messageOverview(deps.db, c.id);
    render(ctx, 'admin-messages', {
      title: t('admin.messages.title'),
      campaign: c,
      campaignTitle: lang === 'en' ? c.title_en : c.title_ko,
      statuses: Object.keys(o.counts.total),
      counts: o.counts,
      failures: o.recent_failures.map((f) => ({
        ...f,
        at: formatMoment(new Date(f.updated_at), c.time_zone, lang),
      })),
      isAdmin: (ctx.state.staff as StaffSession).role === 'admin',
      notice:
        typeof ctx.query.retried === 'string'
          ? t('admin.messages.retried', { n: Number(ctx.query.retried) || 0 })
          : '',
    });
  });

  router.post('/admin/campaigns/:id/messages/retry', requireStaffPage('admin'), async (ctx) => {
    const c = await load(ctx);
    const { requeued } = await retryFailedMessages(
      { db: deps.db, clock: deps.clock },
      staffActor(ctx.state.staff),
      c.id,
    );
    ctx.status = 303;
    ctx.redirect(`/admin/campaigns/${c.id}/messages?retried=${requeued}`);
  });
}
