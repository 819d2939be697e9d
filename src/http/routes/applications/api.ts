// Resident applications over JSON: apply, read, change and withdraw one's own application; proxies apply for others.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { applyForCampaign } from '../../../commands/applyForCampaign.js';
import { changeApplication, myApplication } from '../../../commands/changeApplication.js';
import { residentResult, resultWait } from '../../../commands/residentResult.js';
import { withdrawApplication } from '../../../commands/withdrawApplication.js';
import { DomainError } from '../../../domain/errors.js';
import { inDistrict } from '../../../domain/site.js';
import type { ResidentClaims } from '../../../identity/residentSession.js';
import type { AppDeps } from '../../deps.js';
import {
  applicantOf,
  checkResidentCsrf,
  type ResidentState,
  requireResident,
} from '../../middleware/residentAuth.js';
import { retryAfterSeconds } from '../../retryAfter.js';
import { parse, parseId } from '../../validate.js';
import { presentCancelMessage, presentContact } from '../campaigns/present.js';
import { helperProxy, subjectFor } from '../proxies/helper.js';
import { districtQuery } from '../sites/schema.js';
import { applicationSchema, proxyApplicationSchema } from './schema.js';

function resident(ctx: Context, deps: AppDeps): ResidentClaims {
  const r = ctx.state.resident as ResidentState;
  if (r.viaCookie && !['GET', 'HEAD'].includes(ctx.method)) checkResidentCsrf(ctx, deps);
  return r.claims;
}

/** POST /api/campaigns/:id/application for a verified resident: the koa route and the fast path (fastPath.ts). */
export async function applyOverApi(
  deps: AppDeps,
  who: ResidentClaims,
  campaignId: string | undefined,
  body: unknown,
) {
  const b = parse(applicationSchema, body);
  const applied = await applyForCampaign(deps.intake, applicantOf(who), {
    campaign_id: parseId(campaignId),
    request: { amount: b.amount, sites: b.sites, group: b.group },
    region: b.region,
    channel: 'api',
  });
  return { status: applied.created ? 201 : 200, body: { receipt: applied.receipt } };
}

export function applicationApiRoutes(router: Router, deps: AppDeps): void {
  const base = '/api/campaigns/:id/application';
  const must = requireResident(deps);

  router.get('/api/campaigns/:id/sites', async (ctx) => {
    const rules = await deps.intake.rules.byId(deps.db, parseId(ctx.params.id));
    const { district } = parse(districtQuery, ctx.query);
    ctx.body = { sites: rules.sites.filter((s) => inDistrict(s, district)) };
  });

  router.post(base, must, async (ctx) => {
    const who = resident(ctx, deps);
    const answer = await applyOverApi(deps, who, ctx.params.id, ctx.request.body);
    ctx.status = answer.status;
    ctx.body = answer.body;
  });

  router.get(base, must, async (ctx) => {
    const who = resident(ctx, deps);
    const { rules, receipt, application } = await myApplication(deps.intake, parseId(ctx.params.id), who.sub);
    if (!receipt || !application) throw new DomainError('not_found', 'You have not applied to this campaign');
    // After the draw: the outcome, the same one the result page and SMS STATUS show. Before it: null, with when
    // to look again (also as Retry-After), so a crowd waiting for the draw does not poll it off the machine.
    ctx.set('Cache-Control', 'no-store');
    const result = (await residentResult(deps.intake, rules, application)) ?? null;
    // whom to ask about it, whatever the answer (a cancelled campaign's own page is no longer public)
    const contact = presentContact(rules.campaign);
    if (result) {
      ctx.body = { receipt, result, contact };
      return;
    }
    if (rules.campaign.state === 'cancelled') {
      // no draw will come: nothing to look again for; the operator's word to residents, when one was given
      const cancel_message = presentCancelMessage(rules.campaign);
      ctx.body = { receipt, result, cancelled: true, cancel_message, contact };
      return;
    }
    const wait = resultWait(deps.intake, rules.campaign);
    ctx.set('Retry-After', retryAfterSeconds(wait.poll_after_ms));
    ctx.body = { receipt, result, ...wait, contact };
  });

  router.put(base, must, async (ctx) => {
    const who = resident(ctx, deps);
    const b = parse(applicationSchema, ctx.request.body);
    const receipt = await changeApplication(deps.intake, applicantOf(who), {
      campaign_id: parseId(ctx.params.id),
      request: { amount: b.amount, sites: b.sites, group: b.group },
      region: b.region,
    });
    ctx.body = { receipt };
  });

  router.delete(base, must, async (ctx) => {
    const who = resident(ctx, deps);
    const receipt = await withdrawApplication(deps.intake, parseId(ctx.params.id), who.sub);
    ctx.body = { receipt };
  });

  // A registered helper applies for someone who verified with their own code (POST /api/proxy/codes).
  router.post('/api/proxy/campaigns/:id/applications', must, async (ctx) => {
    const helper = resident(ctx, deps);
    const b = parse(proxyApplicationSchema, ctx.request.body);
    const proxy = await helperProxy(deps, helper.sub);
    const subject = await subjectFor(deps, b.subject_token, helper.sub);
    const applied = await applyForCampaign(deps.intake, applicantOf(subject), {
      campaign_id: parseId(ctx.params.id),
      request: { amount: b.amount, sites: b.sites, group: b.group },
      region: b.region,
      channel: 'proxy',
      proxy: { proxy_id: proxy.id, helper_identity_id: helper.sub },
    });
    ctx.status = applied.created ? 201 : 200;
    ctx.body = { receipt: applied.receipt };
  });
}
