// The resident's web journey, Korean first and without JavaScript: verify -> apply -> receipt -> change/withdraw.
// Every form posts back to the server; errors re-render the same page with an error summary linking to fields.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { applyForCampaign } from '../../../commands/applyForCampaign.js';
import type { CampaignRules } from '../../../commands/campaignRules.js';
import { changeApplication, myApplication } from '../../../commands/changeApplication.js';
import { requestCode } from '../../../commands/requestCode.js';
import { verifyCode } from '../../../commands/verifyCode.js';
import { withdrawApplication } from '../../../commands/withdrawApplication.js';
import { findProxyByIdentity } from '../../../db/repos/proxies.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import type { Lang, Translate } from '../../i18n.js';
import { clientIp, intakeOf } from '../../intake.js';
import { checkResidentCsrf, readResident, startResidentSession } from '../../middleware/residentAuth.js';
import { render } from '../../render.js';
import { parse, parseId } from '../../validate.js';
import { claimsOf } from '../identity/api.js';
import { codeRequestSchema, codeVerifySchema } from '../identity/schema.js';
import { purchaseSection } from '../payments/section.js';
import { applicantOf } from './api.js';
import { applicationSchema, fromForm } from './schema.js';
import {
  type ApplyFormOptions,
  errorList,
  FORM_ERRORS,
  loadRules,
  pageBase,
  renderApplyForm,
} from './view.js';

/** Where verification leads: the resident's own form, or (next=proxy) a registered helper's page. */
function afterVerify(campaignId: string, next: unknown): string {
  return next === 'proxy' ? `/campaigns/${campaignId}/proxy` : `/campaigns/${campaignId}/apply`;
}

export function applicationPageRoutes(router: Router, deps: AppDeps): void {
  const intake = () => intakeOf(deps);
  const rulesFor = (ctx: Context) => loadRules(ctx, deps);
  const base = (ctx: Context, rules: CampaignRules) => pageBase(ctx, deps, rules);

  function verifyPage(ctx: Context, rules: CampaignRules, extra: Record<string, unknown> = {}, status = 200) {
    const cancelled = ctx.query.verify === 'cancelled';
    render(ctx, 'apply-verify', { ...base(ctx, rules), values: {}, errors: [], cancelled, ...extra }, status);
  }

  const formPage = (ctx: Context, rules: CampaignRules, o: ApplyFormOptions = {}, status = 200) =>
    renderApplyForm(ctx, deps, rules, o, status);

  router.get('/campaigns/:id/apply', async (ctx) => {
    const rules = await rulesFor(ctx);
    const who = await readResident(ctx, deps);
    if (!who) return verifyPage(ctx, rules);
    const { receipt } = await myApplication(intake().ctx, rules.campaign.id, who.claims.sub);
    if (receipt?.status === 'active') return ctx.redirect(`/campaigns/${rules.campaign.id}/application`);
    const helper = await findProxyByIdentity(deps.db, who.claims.sub);
    formPage(ctx, rules, helper ? { helperLink: `/campaigns/${rules.campaign.id}/proxy` } : {});
  });

  // The language switch on a page that answered a POST links to the same path by GET: start that step again.
  for (const step of ['verify/code', 'verify/check']) {
    router.get(`/campaigns/:id/${step}`, (ctx) => ctx.redirect(`/campaigns/${parseId(ctx.params.id)}/apply`));
  }

  router.post('/campaigns/:id/verify/code', async (ctx) => {
    const rules = await rulesFor(ctx);
    const body = (ctx.request.body ?? {}) as Record<string, string>;
    const t = ctx.state.t as Translate;
    try {
      checkResidentCsrf(ctx, deps);
      const b = parse(codeRequestSchema, body);
      const sent = await requestCode(intake().ctx, {
        channel: b.channel,
        contact: (b.channel === 'sms' ? b.phone : b.email) ?? '',
        birth_date: b.birth_date,
        lang: ctx.state.lang as Lang,
        ip: clientIp(ctx),
      });
      render(ctx, 'apply-code', { ...base(ctx, rules), sent, errors: [], values: body });
    } catch (err) {
      if (!(err instanceof DomainError) || !FORM_ERRORS.has(err.code)) throw err;
      const errors = errorList(t, err).map((e) => ({
        ...e,
        field: e.field === 'contact' ? (body.channel === 'email' ? 'email' : 'phone') : e.field,
      }));
      verifyPage(ctx, rules, { values: body, errors }, err.code === 'rate_limited' ? 429 : 422);
    }
  });

  router.post('/campaigns/:id/verify/check', async (ctx) => {
    const rules = await rulesFor(ctx);
    const body = (ctx.request.body ?? {}) as Record<string, string>;
    const t = ctx.state.t as Translate;
    try {
      checkResidentCsrf(ctx, deps);
      const b = parse(codeVerifySchema, body);
      const person = await verifyCode(intake().ctx, { ...b, ip: clientIp(ctx) });
      await startResidentSession(ctx, deps, claimsOf(person, ctx.state.lang as Lang));
      ctx.redirect(afterVerify(rules.campaign.id, body.next));
    } catch (err) {
      if (!(err instanceof DomainError) || !FORM_ERRORS.has(err.code)) throw err;
      const sent = {
        challenge_id: body.challenge_id ?? '',
        sent_to: body.sent_to ?? '',
        channel: body.channel ?? 'sms',
      };
      const over = err.code === 'code_expired' || err.code === 'code_exhausted';
      render(
        ctx,
        'apply-code',
        { ...base(ctx, rules), sent, errors: errorList(t, err), values: body, over },
        422,
      );
    }
  });

  async function submit(ctx: Context, change: boolean) {
    const rules = await rulesFor(ctx);
    const who = await readResident(ctx, deps);
    if (!who) return ctx.redirect(`/campaigns/${rules.campaign.id}/apply`);
    const raw = fromForm((ctx.request.body ?? {}) as Record<string, unknown>);
    const t = ctx.state.t as Translate;
    try {
      checkResidentCsrf(ctx, deps);
      const b = parse(applicationSchema, raw);
      const input = {
        campaign_id: rules.campaign.id,
        request: { amount: b.amount, sites: b.sites, group: b.group },
        region: b.region,
      };
      if (change) await changeApplication(intake().ctx, applicantOf(who.claims), input);
      else await applyForCampaign(intake().ctx, applicantOf(who.claims), { ...input, channel: 'web' });
      ctx.redirect(`/campaigns/${rules.campaign.id}/application?done=${change ? 'changed' : 'applied'}`);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'duplicate_application') {
        return ctx.redirect(`/campaigns/${rules.campaign.id}/application?done=duplicate`);
      }
      if (!(err instanceof DomainError) || !FORM_ERRORS.has(err.code)) throw err;
      const receipt = change
        ? (await myApplication(intake().ctx, rules.campaign.id, who.claims.sub)).receipt
        : undefined;
      formPage(
        ctx,
        rules,
        { values: raw, errors: errorList(t, err, rules), ...(receipt ? { receipt } : {}) },
        err.code === 'not_eligible' ? 403 : 422,
      );
    }
  }

  router.post('/campaigns/:id/apply', (ctx) => submit(ctx, false));
  router.post('/campaigns/:id/application', (ctx) => submit(ctx, true));

  router.get('/campaigns/:id/application', async (ctx) => {
    const rules = await rulesFor(ctx);
    const who = await readResident(ctx, deps);
    if (!who) return ctx.redirect(`/campaigns/${rules.campaign.id}/apply`);
    const { receipt } = await myApplication(intake().ctx, rules.campaign.id, who.claims.sub);
    if (!receipt) return ctx.redirect(`/campaigns/${rules.campaign.id}/apply`);
    const done = typeof ctx.query.done === 'string' ? ctx.query.done : '';
    if (ctx.query.edit === '1' && receipt.status === 'active') return formPage(ctx, rules, { receipt });
    const purchase = await purchaseSection(ctx, deps, rules.campaign.id, who.claims.sub);
    render(ctx, 'apply-receipt', { ...base(ctx, rules), receipt, done, purchase });
  });

  router.post('/campaigns/:id/application/withdraw', async (ctx) => {
    const rules = await rulesFor(ctx);
    const who = await readResident(ctx, deps);
    if (!who) return ctx.redirect(`/campaigns/${rules.campaign.id}/apply`);
    checkResidentCsrf(ctx, deps);
    await withdrawApplication(intake().ctx, rules.campaign.id, who.claims.sub);
    ctx.redirect(`/campaigns/${rules.campaign.id}/application?done=withdrawn`);
  });
}
