// Campaign JSON API: public reads, admin writes. Routes authenticate, validate, call a command, present.
import type Router from '@koa/router';
import { changeCampaignState, type ManualChange } from '../../../commands/changeCampaignState.js';
import { createCampaign, updateCampaign } from '../../../commands/saveCampaign.js';
import { saveCampaignContact } from '../../../commands/saveCampaignContact.js';
import { findCampaign, listCampaigns } from '../../../db/repos/campaigns.js';
import { listCampaignSlots } from '../../../db/repos/slots.js';
import { PUBLIC_STATES } from '../../../domain/campaign.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import { requireStaff, staffActor } from '../../middleware/staffAuth.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import { presentCampaign } from './present.js';
import { cancelSchema, parseCampaignBody, parseContactBody, reasonSchema, versionSchema } from './schema.js';

export function campaignApiRoutes(router: Router, deps: AppDeps): void {
  const ctxOf = { db: deps.db, clock: deps.clock };

  router.get('/api/campaigns', async (ctx) => {
    const campaigns = await listCampaigns(deps.db, { states: PUBLIC_STATES });
    ctx.body = { campaigns: campaigns.map((c) => presentCampaign(c)) };
  });

  router.get('/api/campaigns/:id', async (ctx) => {
    const c = await findCampaign(deps.db, parseId(ctx.params.id));
    if (!c || !PUBLIC_STATES.includes(c.state)) throw new DomainError('not_found', 'No such campaign');
    ctx.body = { campaign: presentCampaign(c, await listCampaignSlots(deps.db, c.id)) };
  });

  router.get('/api/admin/campaigns', requireStaff('admin', 'auditor'), async (ctx) => {
    const campaigns = await listCampaigns(deps.db);
    ctx.body = { campaigns: campaigns.map((c) => presentCampaign(c)) };
  });

  router.get('/api/admin/campaigns/:id', requireStaff('admin', 'auditor'), async (ctx) => {
    const c = await findCampaign(deps.db, parseId(ctx.params.id));
    if (!c) throw new DomainError('not_found', 'No such campaign');
    ctx.body = { campaign: presentCampaign(c, await listCampaignSlots(deps.db, c.id)) };
  });

  router.post('/api/admin/campaigns', requireStaff('admin'), async (ctx) => {
    const input = parseCampaignBody(ctx.request.body);
    const c = await createCampaign(ctxOf, staffActor(ctx.state.staff), input);
    ctx.status = 201;
    ctx.set('Location', `/api/admin/campaigns/${c.id}`);
    ctx.body = { campaign: presentCampaign(c, input.slots) };
  });

  router.put('/api/admin/campaigns/:id', requireStaff('admin'), async (ctx) => {
    const id = parseId(ctx.params.id);
    const { version } = parse(versionSchema, ctx.request.body);
    const input = parseCampaignBody(ctx.request.body);
    const c = await updateCampaign(ctxOf, staffActor(ctx.state.staff), id, version, input);
    ctx.body = { campaign: presentCampaign(c, input.slots) };
  });

  // whom residents ask, in any state (the campaign itself is edited only while draft or scheduled)
  router.put('/api/admin/campaigns/:id/contact', requireStaff('admin'), async (ctx) => {
    const id = parseId(ctx.params.id);
    const contact = parseContactBody(bodyOf(ctx));
    const c = await saveCampaignContact(ctxOf, staffActor(ctx.state.staff), id, contact);
    ctx.body = { campaign: presentCampaign(c) };
  });

  for (const change of ['schedule', 'unschedule', 'cancel'] as const satisfies ManualChange[]) {
    router.post(`/api/admin/campaigns/:id/${change}`, requireStaff('admin'), async (ctx) => {
      const note = parse(change === 'cancel' ? cancelSchema : reasonSchema, bodyOf(ctx));
      const c = await changeCampaignState(
        ctxOf,
        staffActor(ctx.state.staff),
        parseId(ctx.params.id),
        change,
        note,
      );
      ctx.body = { campaign: presentCampaign(c) };
    });
  }
}
