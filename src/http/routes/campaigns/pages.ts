// Resident pages: the list of public campaigns and one campaign's page. Korean first; no JavaScript needed.
import type Router from '@koa/router';
import { publicRoomRules } from '../../../commands/instant/roomRules.js';
import { saleEnded } from '../../../commands/instant/saleView.js';
import { findCampaign, listCampaigns } from '../../../db/repos/campaigns.js';
import { listSites } from '../../../db/repos/sites.js';
import { listCampaignSlots } from '../../../db/repos/slots.js';
import { type Campaign, PUBLIC_STATES } from '../../../domain/campaign.js';
import { DomainError } from '../../../domain/errors.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import type { AppDeps } from '../../deps.js';
import { render } from '../../render.js';
import { parseId } from '../../validate.js';
import { campaignView } from './view.js';

/** The open instant sales among these that sold out for good: they say so, not "open", and take no one more. */
async function soldOutSales(deps: AppDeps, campaigns: readonly Campaign[]): Promise<Set<string>> {
  const open = campaigns.filter((c) => c.mode === 'instant' && c.state === 'open');
  const ended = await Promise.all(open.map((c) => saleEnded(deps, c.id)));
  return new Set(open.filter((_, i) => ended[i] === 'sale_sold_out').map((c) => c.id));
}

export function campaignPageRoutes(router: Router, deps: AppDeps): void {
  router.get('/', (ctx) => {
    ctx.redirect(ctx.querystring ? `/campaigns?${ctx.querystring}` : '/campaigns');
  });

  router.get('/campaigns', async (ctx) => {
    const now = deps.clock.now();
    const t = ctx.state.t as Translate;
    const lang = ctx.state.lang as Lang;
    const campaigns = await listCampaigns(deps.db, { states: PUBLIC_STATES });
    // Open ones first, then those about to open, then the rest; each group in opening order.
    const rank = (s: string) => (s === 'open' ? 0 : s === 'scheduled' ? 1 : 2);
    campaigns.sort((a, b) => rank(a.state) - rank(b.state));
    const [soldOut, rooms] = await Promise.all([
      soldOutSales(deps, campaigns),
      publicRoomRules(deps, campaigns),
    ]);
    ctx.set('Cache-Control', 'no-cache');
    render(ctx, 'campaigns', {
      campaigns: campaigns.map((c) =>
        campaignView(c, { now, t, lang, soldOut: soldOut.has(c.id), room: rooms.get(c.id) }),
      ),
    });
  });

  router.get('/campaigns/:id', async (ctx) => {
    const c = await findCampaign(deps.db, parseId(ctx.params.id));
    if (!c || !PUBLIC_STATES.includes(c.state)) throw new DomainError('not_found', 'No such campaign');
    const slots = c.kind === 'goods' ? await listCampaignSlots(deps.db, c.id) : [];
    const sites = slots.length ? await listSites(deps.db) : [];
    ctx.set('Cache-Control', 'no-cache');
    render(ctx, 'campaign', {
      campaign: campaignView(c, {
        now: deps.clock.now(),
        t: ctx.state.t as Translate,
        lang: ctx.state.lang as Lang,
        slots,
        sites,
        soldOut: (await soldOutSales(deps, [c])).has(c.id),
        room: (await publicRoomRules(deps, [c])).get(c.id),
      }),
    });
  });
}
