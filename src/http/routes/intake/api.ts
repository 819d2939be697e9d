// Admin intake view: applications per hour, per channel and per group, live (the page refreshes itself).
import type Router from '@koa/router';
import { purgeContacts } from '../../../commands/purgeContacts.js';
import { findCampaign } from '../../../db/repos/campaigns.js';
import { intakeStats } from '../../../db/repos/intake.js';
import type { Campaign } from '../../../domain/campaign.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import { requireStaff, staffActor } from '../../middleware/staffAuth.js';
import { render } from '../../render.js';
import { parseId } from '../../validate.js';

export function intakeRoutes(router: Router, deps: AppDeps): void {
  async function campaignOf(id: string | undefined) {
    const c = await findCampaign(deps.db, parseId(id));
    if (!c) throw new DomainError('not_found', 'No such campaign');
    return c;
  }
  const statsOf = (c: Campaign) => intakeStats(deps.db, c.id, c.time_zone);

  router.get('/api/admin/campaigns/:id/intake', requireStaff('admin'), async (ctx) => {
    const campaign = await campaignOf(ctx.params.id);
    const stats = await statsOf(campaign);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      campaign_id: campaign.id,
      code: campaign.code,
      state: campaign.state,
      at: deps.clock.now(),
      ...stats,
    };
  });

  router.get('/admin/campaigns/:id/intake', requireStaff('admin'), async (ctx) => {
    const campaign = await campaignOf(ctx.params.id);
    // a sale takes no applications (409 use_sale_queue): its queue and purchases are on the waiting room page
    if (campaign.mode === 'instant') return ctx.redirect(`/admin/campaigns/${campaign.id}/waiting-room`);
    const stats = await statsOf(campaign);
    const peak = Math.max(1, ...stats.per_hour.map((h) => h.count));
    render(ctx, 'admin-intake', { campaign, stats, peak, at: deps.clock.now() });
  });

  router.post('/api/admin/campaigns/:id/purge-contacts', requireStaff('admin'), async (ctx) => {
    const purged = await purgeContacts(deps, staffActor(ctx.state.staff), parseId(ctx.params.id));
    ctx.body = { purged };
  });
}
