// Stock per site and slot, public: GET /api/campaigns/:id/stock (JSON, from a per-process snapshot at most
// half a second old) and the page /campaigns/:id/stock. Admins: a site's pickup list, as JSON and as CSV.
import type Router from '@koa/router';
import { stringify } from 'csv-stringify/sync';
import type { Context } from 'koa';
import { sitePickupList } from '../../../commands/sitePickupList.js';
import { findCampaign } from '../../../db/repos/campaigns.js';
import { sitesOfCampaign } from '../../../db/repos/stock.js';
import type { Campaign } from '../../../domain/campaign.js';
import { PUBLIC_STATES } from '../../../domain/campaign.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import { requireStaff } from '../../middleware/staffAuth.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { render } from '../../render.js';
import { parseId } from '../../validate.js';
import { parseSiteId } from '../counter/api.js';

export const isPublic = (c: Campaign) => PUBLIC_STATES.includes(c.state);

export async function adminCampaign(deps: AppDeps, id: string | undefined): Promise<Campaign> {
  const c = await findCampaign(deps.db, parseId(id));
  if (!c) throw new DomainError('not_found', 'No such campaign');
  return c;
}

const siteParam = (ctx: Context) =>
  typeof ctx.query.site === 'string' && ctx.query.site !== '' ? parseSiteId(ctx.query.site) : undefined;

export function stockRoutes(router: Router, deps: AppDeps): void {
  const snapshot = deps.stock;
  const stockOf = async (id: string | undefined) => {
    const s = await snapshot(parseId(id), isPublic);
    if (!s) throw new DomainError('not_found', 'No such campaign');
    return s;
  };

  router.get('/api/campaigns/:id/stock', async (ctx) => {
    const s = await stockOf(ctx.params.id?.toLowerCase());
    ctx.set('Cache-Control', 'public, max-age=1');
    ctx.set('ETag', s.etag);
    ctx.status = 200; // koa judges freshness only for a 2xx
    if (ctx.fresh) {
      ctx.status = 304; // this reader's figures are current (fastPath.ts answers the same)
      return;
    }
    ctx.type = 'application/json';
    ctx.body = s.json;
  });

  router.get('/campaigns/:id/stock', async (ctx) => {
    const s = await stockOf(ctx.params.id);
    const c = (await findCampaign(deps.db, s.view.campaign_id))!;
    render(ctx, 'stock', { c, stock: s.view, zone: c.time_zone });
  });

  const admins = requireStaff('admin', 'auditor');

  router.get('/api/admin/campaigns/:id/pickups', admins, async (ctx) => {
    const c = await adminCampaign(deps, ctx.params.id);
    ctx.body = await sitePickupList(deps.db, c, siteParam(ctx));
  });

  router.get('/admin/campaigns/:id/pickups', requireStaffPage('admin', 'auditor'), async (ctx) => {
    const c = await adminCampaign(deps, ctx.params.id);
    const sites = await sitesOfCampaign(deps.db, c.id);
    render(ctx, 'admin-pickups', {
      campaign: c,
      sites,
      list: await sitePickupList(deps.db, c, siteParam(ctx)),
    });
  });

  router.get('/admin/campaigns/:id/pickups.csv', admins, async (ctx) => {
    const c = await adminCampaign(deps, ctx.params.id);
    const site = siteParam(ctx);
    const list = await sitePickupList(deps.db, c, site);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="pickups-${c.code}${site ? `-${site}` : ''}.csv"`);
    // A byte-order mark so that spreadsheet programs read the Korean names as UTF-8.
    ctx.body = `\uFEFF${stringify(list.pickups, {
      header: true,
      columns: [
        'site',
        'slot',
        'slot_starts_at',
        'public_id',
        'status',
        'amount',
        'claim_deadline',
        'collected_at',
        'collected_site',
        'collected_via',
        'collected_by',
        'refused_at',
        'refusal_reason',
      ],
    })}`;
  });
}
