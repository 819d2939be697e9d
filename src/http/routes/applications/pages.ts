// The resident's web journey, Korean first and without JavaScript: verify -> apply -> receipt -> change/withdraw.
// Every form posts back to the server; errors re-render the same page with an error summary linking to fields.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { applyForCampaign } from '../../../commands/applyForCampaign.js';
import type { CampaignRules } from '../../../commands/campaignRules.js';
import { changeApplication, myApplication } from '../../../commands/changeApplication.js';
import { requestCode } from '../../../commands/requestCode.js';
import { residentResult } from '../../../commands/residentResult.js';
import { verifyCode } from '../../../commands/verifyCode.js';
import { withdrawApplication } from '../../../commands/withdrawApplication.js';
import type { Application } from '../../../db/repos/applications.js';
import { findProxyByIdentity } from '../../../db/repos/proxies.js';
import { DomainError } from '../../../domain/errors.js';
import { resultsPublished } from '../../../domain/result.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import { clientIp } from '../../clientIp.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import {
  applicantOf,
  checkResidentCsrf,
  readResident,
  startResidentSession,
} from '../../middleware/residentAuth.js';
import { render } from '../../render.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import { rotationView } from '../campaigns/rotationView.js';
import { claimsOf } from '../identity/api.js';
import { codeRequestSchema, codeVerifySchema } from '../identity/schema.js';
import { purchaseSection } from '../payments/section.js';
import { resultPageView } from './resultView.js';
import { applicationSchema, fromForm } from './schema.js';
import {
  type ApplyFormOptions,
  errorList,
  FORM_ERRORS,
  loadRules,
  pageBase,
  refusedOf,
  renderApplyForm,
} from './view.js';

/** Where verification leads: the resident's own form, or (next=proxy) a registered helper's page. */
function afterVerify(campaignId: string, next: unknown): string {
  return next === 'proxy' ? `/campaigns/${campaignId}/proxy` : `/campaigns/${campaignId}/apply`;
}

export function applicationPageRoutes(router: Router, deps: AppDeps): void {
  const rulesFor = (ctx: Context) => loadRules(ctx, deps);
  const base = (ctx: Context, rules: CampaignRules) => pageBase(ctx, deps, rules);

  function verifyPage(ctx: Context, rules: CampaignRules, extra: Record<string, unknown> = {}, status = 200) {
    const cancelled = ctx.query.verify === 'cancelled';
    // the birth-year weekday rule's days in this window, before anyone types a birth date
    const rotation = rotationView(rules.campaign, deps.clock.now(), ctx.state.t, ctx.state.lang);
    render(
      ctx,
      'apply-verify',
      { ...base(ctx, rules), values: {}, errors: [], cancelled, rotation, ...extra },
      status,
    );
  }

  const formPage = (ctx: Context, rules: CampaignRules, o: ApplyFormOptions = {}, status = 200) =>
    renderApplyForm(ctx, deps, rules, o, status);

  /** After the draw the person's own outcome replaces the receipt; without an application, a plain "none". */
  async function showResult(ctx: Context, rules: CampaignRules, application: Application | undefined) {
    const t = ctx.state.t as Translate;
    const lang = ctx.state.lang as Lang;
    const result = application ? await residentResult(deps.intake, rules, application) : undefined;
    // A won voucher is bought on this page (payments/section.ts).
    const purchase = application
      ? await purchaseSection(ctx, deps, rules.campaign.id, application.identity_id)
      : undefined;
    render(ctx, 'apply-result', {
      ...base(ctx, rules),
      result: result
        ? await resultPageView(result, rules.campaign, t, lang, Number(application?.request), purchase?.mode)
        : { kind: 'none' },
      publicId: application?.public_id ?? '',
      auditUrl: `/campaigns/${rules.campaign.id}/audit${lang === 'en' ? '?lang=en' : ''}`,
      purchase,
    });
  }

  router.get('/campaigns/:id/apply', async (ctx) => {
    const rules = await rulesFor(ctx);
    const who = await readResident(ctx, deps);
    if (!who) return verifyPage(ctx, rules);
    if (rules.campaign.mode === 'instant') return ctx.redirect(`/campaigns/${rules.campaign.id}/queue`);
    const { receipt } = await myApplication(deps.intake, rules.campaign.id, who.claims.sub);
    const open = rules.campaign.state === 'open' || rules.campaign.state === 'scheduled';
    if (receipt?.status === 'active' || (receipt && !open))
      return ctx.redirect(`/campaigns/${rules.campaign.id}/application`);
    if (!open) return showResult(ctx, rules, undefined);
    const helper = await findProxyByIdentity(deps.db, who.claims.sub);
    formPage(ctx, rules, {
      birthDate: who.claims.bd,
      ...(helper ? { helperLink: `/campaigns/${rules.campaign.id}/proxy` } : {}),
    });
  });

  // The language switch on a page that answered a POST links to the same path by GET: start that step again.
  for (const step of ['verify/code', 'verify/check']) {
    router.get(`/campaigns/:id/${step}`, (ctx) => ctx.redirect(`/campaigns/${parseId(ctx.params.id)}/apply`));
  }

  router.post('/campaigns/:id/verify/code', async (ctx) => {
    const rules = await rulesFor(ctx);
    const body = bodyOf(ctx) as Record<string, string>;
    try {
      checkResidentCsrf(ctx, deps);
      const b = parse(codeRequestSchema, body);
      const sent = await requestCode(deps.intake, {
        channel: b.channel,
        contact: (b.channel === 'sms' ? b.phone : b.email) ?? '',
        birth_date: b.birth_date,
        lang: ctx.state.lang as Lang,
        ip: clientIp(ctx),
      });
      render(ctx, 'apply-code', { ...base(ctx, rules), sent, errors: [], values: body });
    } catch (err) {
      if (!(err instanceof DomainError) || !FORM_ERRORS.has(err.code)) throw err;
      const errors = errorList(ctx.state, err).map((e) => ({
        ...e,
        field: e.field === 'contact' ? (body.channel === 'email' ? 'email' : 'phone') : e.field,
      }));
      verifyPage(ctx, rules, { values: body, errors }, statusOf(err));
    }
  });

  router.post('/campaigns/:id/verify/check', async (ctx) => {
    const rules = await rulesFor(ctx);
    const body = bodyOf(ctx) as Record<string, string>;
    try {
      checkResidentCsrf(ctx, deps);
      const b = parse(codeVerifySchema, body);
      const person = await verifyCode(deps.intake, { ...b, ip: clientIp(ctx) });
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
        { ...base(ctx, rules), sent, errors: errorList(ctx.state, err), values: body, over },
        statusOf(err),
      );
    }
  });

  async function submit(ctx: Context, change: boolean) {
    const rules = await rulesFor(ctx);
    const who = await readResident(ctx, deps);
    if (!who) return ctx.redirect(`/campaigns/${rules.campaign.id}/apply`);
    const raw = fromForm(bodyOf(ctx));
    try {
      checkResidentCsrf(ctx, deps);
      const b = parse(applicationSchema, raw);
      const input = {
        campaign_id: rules.campaign.id,
        request: { amount: b.amount, sites: b.sites, group: b.group },
        region: b.region,
      };
      if (change) await changeApplication(deps.intake, applicantOf(who.claims), input);
      else await applyForCampaign(deps.intake, applicantOf(who.claims), { ...input, channel: 'web' });
      ctx.redirect(`/campaigns/${rules.campaign.id}/application?done=${change ? 'changed' : 'applied'}`);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'duplicate_application') {
        return ctx.redirect(`/campaigns/${rules.campaign.id}/application?done=duplicate`);
      }
      if (!(err instanceof DomainError) || !FORM_ERRORS.has(err.code)) throw err;
      const receipt = change
        ? (await myApplication(deps.intake, rules.campaign.id, who.claims.sub)).receipt
        : undefined;
      // what the form cannot change is said in place of the form, in the words the form's page gave beforehand
      const refused = refusedOf(ctx.state, err);
      formPage(
        ctx,
        rules,
        {
          values: raw,
          errors: refused ? [] : errorList(ctx.state, err, rules),
          refused,
          birthDate: who.claims.bd,
          ...(receipt ? { receipt } : {}),
        },
        statusOf(err),
      );
    }
  }

  router.post('/campaigns/:id/apply', (ctx) => submit(ctx, false));
  router.post('/campaigns/:id/application', (ctx) => submit(ctx, true));

  router.get('/campaigns/:id/application', async (ctx) => {
    const rules = await rulesFor(ctx);
    const who = await readResident(ctx, deps);
    if (!who) return ctx.redirect(`/campaigns/${rules.campaign.id}/apply`);
    const { receipt, application } = await myApplication(deps.intake, rules.campaign.id, who.claims.sub);
    if (!receipt || !application) return ctx.redirect(`/campaigns/${rules.campaign.id}/apply`);
    if (resultsPublished(rules.campaign)) return showResult(ctx, rules, application);
    const done = typeof ctx.query.done === 'string' ? ctx.query.done : '';
    const windowOpen = rules.campaign.state === 'open';
    if (ctx.query.edit === '1' && receipt.status === 'active' && windowOpen)
      return formPage(ctx, rules, { receipt, birthDate: who.claims.bd });
    render(ctx, 'apply-receipt', { ...base(ctx, rules), receipt, done, windowOpen });
  });

  // Withdrawing asks first: the receipt's button opens this page (a GET changes nothing), which says what
  // withdrawing does and until when it can be taken back; its own form withdraws.
  router.get('/campaigns/:id/application/withdraw', async (ctx) => {
    const rules = await rulesFor(ctx);
    const who = await readResident(ctx, deps);
    if (!who) return ctx.redirect(`/campaigns/${rules.campaign.id}/apply`);
    const { receipt } = await myApplication(deps.intake, rules.campaign.id, who.claims.sub);
    if (receipt?.status !== 'active' || rules.campaign.state !== 'open')
      return ctx.redirect(`/campaigns/${rules.campaign.id}/application`);
    render(ctx, 'apply-withdraw', { ...base(ctx, rules), receipt });
  });

  router.post('/campaigns/:id/application/withdraw', async (ctx) => {
    const rules = await rulesFor(ctx);
    const who = await readResident(ctx, deps);
    if (!who) return ctx.redirect(`/campaigns/${rules.campaign.id}/apply`);
    checkResidentCsrf(ctx, deps);
    // a press without the question's "yes" (a receipt page from before it asked) is asked first
    if (bodyOf(ctx).confirm !== 'yes') {
      ctx.status = 303;
      return ctx.redirect(`/campaigns/${rules.campaign.id}/application/withdraw`);
    }
    await withdrawApplication(deps.intake, rules.campaign.id, who.claims.sub);
    ctx.redirect(`/campaigns/${rules.campaign.id}/application?done=withdrawn`);
  });
}
