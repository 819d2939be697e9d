// A registered helper's web pages (community-centre staff or family), without JavaScript: signed in as themselves,
// they send a code to the person they help, enter the code that person reads to them, fill the same application
// form on the person's behalf and see the receipt marked as a proxy application, with their remaining cap.
// The person's verification (a subject token bound to the helper, 10 minutes) rides in an HttpOnly cookie scoped
// to this campaign's proxy pages, so the district search (a GET form) keeps it.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { applyForCampaign } from '../../../commands/applyForCampaign.js';
import type { CampaignRules } from '../../../commands/campaignRules.js';
import { type Receipt, receiptOf } from '../../../commands/receipt.js';
import { requestCode } from '../../../commands/requestCode.js';
import { verifyCode } from '../../../commands/verifyCode.js';
import { findApplicationByPublicId } from '../../../db/repos/applications.js';
import type { HelperProxy } from '../../../db/repos/proxies.js';
import { DomainError } from '../../../domain/errors.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import { SUBJECT_TOKEN_SECONDS } from '../../../identity/residentSession.js';
import { clientIp } from '../../clientIp.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import { applicantOf, checkResidentCsrf, readResident } from '../../middleware/residentAuth.js';
import { render } from '../../render.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import { applicationSchema, fromForm } from '../applications/schema.js';
import {
  errorList,
  FORM_ERRORS,
  loadRules,
  pageBase,
  refusedOf,
  renderApplyForm,
} from '../applications/view.js';
import { codeVerifySchema } from '../identity/schema.js';
import { helperProxy, personLabel, remainingOf, signSubjectToken, subjectFor } from './helper.js';
import { subjectCodeSchema } from './schema.js';

const SUBJECT_COOKIE = 'proxy_subject';
const PROXY_ERRORS = new Set([...FORM_ERRORS, 'proxy_cap_reached', 'invalid_token']);
const home = (id: string) => `/campaigns/${id}/proxy`;
const cookieOpts = (deps: AppDeps, id: string) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: deps.config.publicUrl.startsWith('https:'),
  path: home(id),
});

/** Drops the helped person's verification on this campaign's proxy pages (applied, started again, signed out). */
export function forgetSubject(ctx: Context, deps: AppDeps, campaignId: string): void {
  ctx.cookies.set(SUBJECT_COOKIE, null, cookieOpts(deps, campaignId));
}

export function proxyPageRoutes(router: Router, deps: AppDeps): void {
  /** The signed-in helper and their registration; undefined when nobody is signed in. */
  async function helperOf(ctx: Context): Promise<{ sub: string; proxy: HelperProxy } | undefined> {
    const who = await readResident(ctx, deps);
    if (!who) return undefined;
    return { sub: who.claims.sub, proxy: await helperProxy(deps, who.claims.sub) };
  }

  /**
   * A sale's proxy pages: a sale has no proxy application (nobody applies; the buyer queues), so they say so and
   * point at the sale's page, with no form, answered with the status its refused submit gets (use_sale_queue).
   */
  function salePage(ctx: Context, rules: CampaignRules) {
    render(ctx, 'proxy-sale', pageBase(ctx, deps, rules), statusOf('use_sale_queue'));
  }

  /** The campaign and the signed-in helper; undefined (after redirecting to the start, or saying a sale has no
   * proxy application) for anyone else. */
  async function helperPage(ctx: Context) {
    const rules = await loadRules(ctx, deps);
    if (rules.campaign.mode === 'instant') return salePage(ctx, rules);
    const helper = await helperOf(ctx);
    if (helper) return { rules, helper };
    ctx.redirect(home(rules.campaign.id));
    return undefined;
  }

  /** The helped person's verification from the cookie, if it is still good for this helper. */
  async function subjectOf(ctx: Context, helperSub: string) {
    const token = ctx.cookies.get(SUBJECT_COOKIE);
    if (!token) return undefined;
    return subjectFor(deps, token, helperSub).catch(() => undefined);
  }

  function startPage(
    ctx: Context,
    rules: CampaignRules,
    proxy: HelperProxy,
    extra: { values?: Record<string, unknown>; errors?: unknown[] } = {},
    status = 200,
  ) {
    render(
      ctx,
      'proxy-start',
      { ...pageBase(ctx, deps, rules), ...remainingOf(proxy), values: {}, errors: [], ...extra },
      status,
    );
  }

  /** The resident's code page, posting to the proxy check and telling the helper to ask for the code. */
  function codePage(
    ctx: Context,
    rules: CampaignRules,
    sent: { challenge_id: string; sent_to: string; channel: string },
    extra: { errors?: unknown[]; over?: boolean } = {},
    status = 200,
  ) {
    const t = ctx.state.t as Translate;
    render(
      ctx,
      'apply-code',
      {
        ...pageBase(ctx, deps, rules),
        sent,
        errors: [],
        values: {},
        checkAction: `${home(rules.campaign.id)}/check`,
        restartHref: home(rules.campaign.id),
        codeIntro: t('proxy.code_intro', { to: sent.sent_to }),
        ...extra,
      },
      status,
    );
  }

  function receiptPage(
    ctx: Context,
    rules: CampaignRules,
    proxy: HelperProxy,
    receipt: Receipt,
    done: string,
  ) {
    render(ctx, 'apply-receipt', { ...pageBase(ctx, deps, rules), receipt, done, proxy: remainingOf(proxy) });
  }

  router.get('/campaigns/:id/proxy', async (ctx) => {
    const rules = await loadRules(ctx, deps);
    if (rules.campaign.mode === 'instant') return salePage(ctx, rules);
    const helper = await helperOf(ctx);
    if (!helper) {
      // The helper proves who they are first, with the resident pages, and comes back here.
      return render(ctx, 'apply-verify', {
        ...pageBase(ctx, deps, rules),
        values: {},
        errors: [],
        next: 'proxy',
      });
    }
    if (ctx.query.restart === '1') forgetSubject(ctx, deps, rules.campaign.id);
    const subject = ctx.query.restart === '1' ? undefined : await subjectOf(ctx, helper.sub);
    if (!subject) return startPage(ctx, rules, helper.proxy);
    renderApplyForm(ctx, deps, rules, {
      action: `${home(rules.campaign.id)}/apply`,
      searchAction: home(rules.campaign.id),
      proxy: { person: personLabel(subject), ...remainingOf(helper.proxy) },
      birthDate: subject.bd,
    });
  });

  router.post('/campaigns/:id/proxy/code', async (ctx) => {
    const page = await helperPage(ctx);
    if (!page) return;
    const { rules, helper } = page;
    const body = bodyOf(ctx) as Record<string, string>;
    try {
      checkResidentCsrf(ctx, deps);
      const b = parse(subjectCodeSchema, body);
      const sent = await requestCode(deps.intake, {
        channel: 'sms',
        contact: b.phone,
        birth_date: b.birth_date,
        lang: ctx.state.lang as Lang,
        ip: clientIp(ctx),
        purpose: 'proxy',
      });
      codePage(ctx, rules, sent);
    } catch (err) {
      if (!(err instanceof DomainError) || !FORM_ERRORS.has(err.code)) throw err;
      const errors = errorList(ctx.state, err).map((e) => ({
        ...e,
        field: e.field === 'contact' ? 'phone' : e.field,
      }));
      startPage(ctx, rules, helper.proxy, { values: body, errors }, statusOf(err));
    }
  });

  router.post('/campaigns/:id/proxy/check', async (ctx) => {
    const page = await helperPage(ctx);
    if (!page) return;
    const { rules, helper } = page;
    const body = bodyOf(ctx) as Record<string, string>;
    const t = ctx.state.t as Translate;
    try {
      checkResidentCsrf(ctx, deps);
      const b = parse(codeVerifySchema, body);
      const person = await verifyCode(deps.intake, { ...b, ip: clientIp(ctx), purpose: 'proxy' });
      if (person.identity.id === helper.sub) {
        const errors = [{ field: 'phone', text: t('proxy.self') }];
        return startPage(ctx, rules, helper.proxy, { errors }, statusOf('validation_failed'));
      }
      const subject = await signSubjectToken(deps, person, helper.sub);
      ctx.cookies.set(SUBJECT_COOKIE, subject.token, {
        ...cookieOpts(deps, rules.campaign.id),
        maxAge: SUBJECT_TOKEN_SECONDS * 1000,
      });
      ctx.redirect(home(rules.campaign.id));
    } catch (err) {
      if (!(err instanceof DomainError) || !FORM_ERRORS.has(err.code)) throw err;
      const sent = { challenge_id: body.challenge_id ?? '', sent_to: body.sent_to ?? '', channel: 'sms' };
      const over = err.code === 'code_expired' || err.code === 'code_exhausted';
      codePage(ctx, rules, sent, { errors: errorList(ctx.state, err), over }, statusOf(err));
    }
  });

  router.post('/campaigns/:id/proxy/apply', async (ctx) => {
    const page = await helperPage(ctx);
    if (!page) return;
    const { rules, helper } = page;
    const c = rules.campaign;
    const raw = fromForm(bodyOf(ctx));
    const t = ctx.state.t as Translate;
    const subject = await subjectOf(ctx, helper.sub);
    // The person's verification ran out (10 minutes): verify them again.
    if (!subject)
      return startPage(
        ctx,
        rules,
        helper.proxy,
        { errors: [{ field: '', text: t('proxy.expired') }] },
        statusOf('validation_failed'),
      );
    try {
      checkResidentCsrf(ctx, deps);
      const b = parse(applicationSchema, raw);
      const applied = await applyForCampaign(deps.intake, applicantOf(subject), {
        campaign_id: c.id,
        request: { amount: b.amount, sites: b.sites, group: b.group },
        region: b.region,
        channel: 'proxy',
        proxy: { proxy_id: helper.proxy.id, helper_identity_id: helper.sub },
      });
      forgetSubject(ctx, deps, c.id);
      ctx.redirect(`${home(c.id)}/receipts/${applied.receipt.public_id}?done=applied`);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'duplicate_application') {
        // Already applied (on any channel): the helper verified the person, so they may see that receipt.
        forgetSubject(ctx, deps, c.id);
        return receiptPage(ctx, rules, helper.proxy, err.details?.receipt as Receipt, 'duplicate');
      }
      if (!(err instanceof DomainError) || !PROXY_ERRORS.has(err.code)) throw err;
      renderApplyForm(
        ctx,
        deps,
        rules,
        {
          values: raw,
          errors: refusedOf(ctx.state, err) ? [] : errorList(ctx.state, err, rules),
          refused: refusedOf(ctx.state, err),
          birthDate: subject.bd,
          action: `${home(c.id)}/apply`,
          searchAction: home(c.id),
          proxy: { person: personLabel(subject), ...remainingOf(helper.proxy) },
        },
        statusOf(err),
      );
    }
  });

  // The language switch on a page that answered a POST links to the same path by GET: start that step again.
  for (const step of ['code', 'check', 'apply']) {
    router.get(`/campaigns/:id/proxy/${step}`, (ctx) => ctx.redirect(home(parseId(ctx.params.id))));
  }

  router.get('/campaigns/:id/proxy/receipts/:publicId', async (ctx) => {
    const page = await helperPage(ctx);
    if (!page) return;
    const { rules, helper } = page;
    const a = await findApplicationByPublicId(deps.db, String(ctx.params.publicId));
    // Only the applications this helper made, in this campaign.
    if (!a || a.campaign_id !== rules.campaign.id || a.proxy_id !== helper.proxy.id) {
      throw new DomainError('not_found', 'No such application');
    }
    const done = typeof ctx.query.done === 'string' && ctx.query.done === 'applied' ? 'applied' : '';
    receiptPage(ctx, rules, helper.proxy, receiptOf(a, rules.campaign, rules.sites), done);
  });
}
