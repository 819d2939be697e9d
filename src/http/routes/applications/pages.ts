// The resident's web journey, Korean first and without JavaScript: verify -> apply -> receipt -> change/withdraw.
// Every form posts back to the server; errors re-render the same page with an error summary linking to fields.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { applyForCampaign } from '../../../commands/applyForCampaign.js';
import type { CampaignRules } from '../../../commands/campaignRules.js';
import { changeApplication, myApplication } from '../../../commands/changeApplication.js';
import { formatAmount, type Receipt } from '../../../commands/receipt.js';
import { requestCode } from '../../../commands/requestCode.js';
import { verifyCode } from '../../../commands/verifyCode.js';
import { withdrawApplication } from '../../../commands/withdrawApplication.js';
import { MAX_RANKED_SITES } from '../../../domain/application.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import type { Lang, Translate } from '../../i18n.js';
import { clientIp, intakeOf } from '../../intake.js';
import {
  checkResidentCsrf,
  readResident,
  residentCsrfToken,
  startResidentSession,
} from '../../middleware/residentAuth.js';
import { render } from '../../render.js';
import { parse, parseId } from '../../validate.js';
import { claimsOf } from '../identity/api.js';
import { codeRequestSchema, codeVerifySchema } from '../identity/schema.js';
import { applicantOf } from './api.js';
import { applicationSchema, fromForm } from './schema.js';

/** Messages for the error summary, in the page's language, each pointing at its field. */
export function errorList(
  t: Translate,
  err: DomainError,
  rules?: CampaignRules,
): Array<{ field: string; text: string }> {
  const c = rules?.campaign;
  const params: Record<string, string> = c
    ? {
        denomination: c.denomination.toLocaleString(),
        max: c.per_person_max.toLocaleString(),
        unit: t(`resident.unit.${c.unit}`),
      }
    : {};
  if (err.code === 'validation_failed' && err.fields) {
    return Object.keys(err.fields).map((f) => {
      const field = f.split('.')[0] ?? f;
      const key = `resident.fix.${field}`;
      return { field, text: t(key) === key ? (err.fields?.[f] ?? '') : t(key, params) };
    });
  }
  if (err.code === 'not_eligible') {
    const d = (err.details ?? {}) as Record<string, string | number>;
    return [
      {
        field: '',
        text: t(`eligibility.${d.reason}`, { ...d, day: d.day ? t(`eligibility.days.${d.day}`) : '' }),
      },
    ];
  }
  const key = `errors.${err.code}`;
  return [{ field: err.code.startsWith('code_') ? 'code' : '', text: t(key) === key ? err.message : t(key) }];
}

const FORM_ERRORS = new Set([
  'validation_failed',
  'not_eligible',
  'code_invalid',
  'code_expired',
  'code_exhausted',
  'rate_limited',
  'csrf_failed',
]);

export function applicationPageRoutes(router: Router, deps: AppDeps): void {
  const intake = () => intakeOf(deps);
  const title = (rules: CampaignRules, lang: Lang) =>
    lang === 'ko' ? rules.campaign.title_ko : rules.campaign.title_en;

  async function rulesFor(ctx: Context) {
    const rules = await intake().ctx.rules.byId(deps.db, parseId(ctx.params.id));
    ctx.set('Cache-Control', 'no-store');
    return rules;
  }

  function base(ctx: Context, rules: CampaignRules) {
    const lang = ctx.state.lang as Lang;
    return {
      campaign: rules.campaign,
      campaignTitle: title(rules, lang),
      csrf: residentCsrfToken(ctx, deps),
      oidcEnabled: Boolean(intake().oidc?.settings.authorizationUrl),
      amount: (n: number) => formatAmount(n, rules.campaign.unit, lang),
    };
  }

  function verifyPage(ctx: Context, rules: CampaignRules, extra: Record<string, unknown> = {}, status = 200) {
    render(ctx, 'apply-verify', { ...base(ctx, rules), values: {}, errors: [], ...extra }, status);
  }

  function formPage(
    ctx: Context,
    rules: CampaignRules,
    extra: { values?: Record<string, unknown>; errors?: unknown[]; receipt?: Receipt } = {},
    status = 200,
  ) {
    const c = rules.campaign;
    const district = typeof ctx.query.district === 'string' ? ctx.query.district : '';
    const districts = [...new Set(rules.sites.map((s) => s.district).filter(Boolean))];
    const amounts: number[] = [];
    for (let a = c.denomination; a <= c.per_person_max && amounts.length <= 60; a += c.denomination)
      amounts.push(a);
    const values =
      extra.values ??
      (extra.receipt
        ? {
            amount: extra.receipt.amount,
            sites: extra.receipt.sites.map((s) => s.id),
            group: extra.receipt.group,
          }
        : { amount: c.per_person_max, sites: [], group: '' });
    render(
      ctx,
      'apply-form',
      {
        ...base(ctx, rules),
        sites: rules.sites.filter(
          (s) =>
            !district || s.district === district || (values.sites as string[] | undefined)?.includes(s.id),
        ),
        allSites: rules.sites.length,
        districts,
        district,
        rankCount: Math.min(MAX_RANKED_SITES, Math.max(1, rules.sites.length)),
        amounts: amounts.length <= 60 ? amounts : undefined,
        values,
        errors: extra.errors ?? [],
        receipt: extra.receipt,
        action: extra.receipt ? `/campaigns/${c.id}/application` : `/campaigns/${c.id}/apply`,
      },
      status,
    );
  }

  router.get('/campaigns/:id/apply', async (ctx) => {
    const rules = await rulesFor(ctx);
    const who = await readResident(ctx, deps);
    if (!who) return verifyPage(ctx, rules);
    const { receipt } = await myApplication(intake().ctx, rules.campaign.id, who.claims.sub);
    if (receipt?.status === 'active') return ctx.redirect(`/campaigns/${rules.campaign.id}/application`);
    formPage(ctx, rules);
  });

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
      ctx.redirect(`/campaigns/${rules.campaign.id}/apply`);
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
    render(ctx, 'apply-receipt', { ...base(ctx, rules), receipt, done });
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
