// What the resident's and the helper's application pages share: the campaign's rules for the page, the common
// page data, the one application form (amount, ranked sites, region, group) and the error summary's messages.
import type { Context } from 'koa';
import type { CampaignRules } from '../../../commands/campaignRules.js';
import { formatAmount, type Receipt } from '../../../commands/receipt.js';
import { MAX_RANKED_SITES } from '../../../domain/application.js';
import { type Campaign, groupLabel, groupProof } from '../../../domain/campaign.js';
import { refusalParams, weekdayRefusal } from '../../../domain/eligibility.js';
import type { DomainError } from '../../../domain/errors.js';
import { nextTurn, rotationDay } from '../../../domain/rotation.js';
import { districtChoices, inDistrict, siteWords } from '../../../domain/site.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import { digitsWords, endInZone, noDayLeft, refusalWords } from '../../../i18n/refusal.js';
import type { AppDeps } from '../../deps.js';
import { residentCsrfToken } from '../../middleware/residentAuth.js';
import { pageText, problemsOfError } from '../../problems.js';
import { render } from '../../render.js';
import { parseId } from '../../validate.js';

/**
 * Refusals that nothing on the form changes (the birth year's weekday, the age): shown as a plain refusal in place of
 * the form, not in the error summary, whose heading says there is something to fix.
 */
const NOT_ON_FORM = new Set(['wrong_weekday', 'too_young', 'too_old']);

/** A refusal the form cannot fix, in words, and whether to name whom to ask (nothing is left to do). */
export interface Refused {
  text: string;
  /** a time within the window comes: "not now" rather than "not in this campaign" */
  later: boolean;
  /** nothing is left to do here: name whom to ask */
  ask: boolean;
}

export function refusedOf(page: PageWords, err: DomainError): Refused | undefined {
  const d = err.details ?? {};
  if (err.code !== 'not_eligible' || !NOT_ON_FORM.has(String(d.reason))) return undefined;
  const later = d.reason === 'wrong_weekday' && !noDayLeft(d);
  return { text: refusalWords(page.t, page.lang, d), later, ask: !later };
}

/**
 * The birth-year weekday rule for a person whose birth date is known, before they fill in the form: refused, with
 * the next time within the window they may apply or that none comes (the words a submission would be refused
 * with); or, in their time, until when it lasts where it ends before the window closes.
 */
export function weekdayStanding(
  page: PageWords,
  c: Campaign,
  birthDate: string | null | undefined,
  now: Date,
): { refused?: Refused; note?: string } {
  if (!c.eligibility.birth_year_rotation || !birthDate) return {};
  // before the opening, as it will stand at the opening
  const refusal = weekdayRefusal(c, birthDate, new Date(Math.max(now.getTime(), c.opens_at.getTime())));
  if (refusal) {
    const details = { reason: refusal.reason, ...refusalParams(refusal, c) };
    const later = refusal.reason === 'wrong_weekday' && Boolean(refusal.turn);
    return { refused: { text: refusalWords(page.t, page.lang, details), later, ask: !later } };
  }
  const day = rotationDay(Number(birthDate.slice(0, 4)));
  const turn = nextTurn(c, day, now); // the one under way (or starting at the opening)
  if (!turn || turn.until.getTime() >= c.closes_at.getTime()) return {};
  return {
    note: page.t('resident.turn_until', {
      digits: digitsWords(page.t, day),
      until: endInZone(page.t, turn.until, c.time_zone, page.lang),
    }),
  };
}

/** Refusals shown on the form itself (with the error summary) rather than on an error page. */
export const FORM_ERRORS = new Set([
  'validation_failed',
  'not_eligible',
  'code_invalid',
  'code_expired',
  'code_exhausted',
  'rate_limited',
  'csrf_failed',
  'use_sale_queue',
]);

/** A wait as people say it: seconds under two minutes, else minutes (rounded up). */
function waitWords(t: Translate, seconds: number): string {
  return seconds < 120
    ? t('resident.wait_seconds', { n: seconds })
    : t('resident.wait_minutes', { n: Math.ceil(seconds / 60) });
}

/** The page's words and language (koa's ctx.state on every page). */
export interface PageWords {
  t: Translate;
  lang: Lang;
}

/** Messages for the error summary, in the page's language, each pointing at its field. */
export function errorList(
  page: PageWords,
  err: DomainError,
  rules?: CampaignRules,
): Array<{ field: string; text: string }> {
  const { t } = page;
  const c = rules?.campaign;
  const params: Record<string, string> = c
    ? {
        denomination: c.denomination.toLocaleString(),
        max: c.per_person_max.toLocaleString(),
        unit: t(`resident.unit.${c.unit}`),
      }
    : {};
  const problems = problemsOfError(err);
  if (err.code === 'validation_failed' && problems.length > 0) {
    // a field's own words for residents (what to write there), else the fault's words in the page's language
    const text = pageText(t, page.lang);
    const shown = problems.map((p) => {
      const field = p.field.split('.', 1)[0]!; // split always gives a first part
      const key = `resident.fix.${field}`;
      return { field, text: t(key) === key ? text(p) : t(key, params) };
    });
    // a field with several faults has its words once
    return shown.filter((e, i) => shown.findIndex((o) => o.field === e.field && o.text === e.text) === i);
  }
  if (err.code === 'not_eligible')
    return [{ field: '', text: refusalWords(t, page.lang, err.details ?? {}) }];
  const retry = err.details?.retry_after;
  if (err.code === 'rate_limited' && typeof retry === 'number')
    // how long, not "shortly": one who resent a code too soon otherwise tries again and again
    return [{ field: '', text: t('resident.rate_limited_wait', { wait: waitWords(t, retry) }) }];
  // every code has its words in both languages (test/http/status-mapping.test.ts)
  return [{ field: err.code.startsWith('code_') ? 'code' : '', text: t(`errors.${err.code}`) }];
}

/** The campaign named in the path, never cached (the pages carry a CSRF token and the window's state). */
export async function loadRules(ctx: Context, deps: AppDeps): Promise<CampaignRules> {
  const rules = await deps.intake.rules.byId(deps.db, parseId(ctx.params.id));
  ctx.set('Cache-Control', 'no-store');
  return rules;
}

export function pageBase(ctx: Context, deps: AppDeps, rules: CampaignRules) {
  const lang = ctx.state.lang as Lang;
  return {
    campaign: rules.campaign,
    campaignTitle: lang === 'ko' ? rules.campaign.title_ko : rules.campaign.title_en,
    csrf: residentCsrfToken(ctx, deps),
    oidcEnabled: Boolean(deps.identity.oidc?.settings.authorizationUrl),
    portoneEnabled: Boolean(deps.identity.portone),
    /** the ways this campaign accepts (a registered helper always verifies by phone) */
    allows: (m: string) => (rules.campaign.verification_methods as string[]).includes(m),
    amount: (n: number) => formatAmount(n, rules.campaign.unit, lang),
    /** a priority group's name in the page's language, from its key */
    groupName: (key: string) => {
      const g = rules.campaign.groups.find((x) => x.name === key);
      return g ? groupLabel(g, lang) : key;
    },
    groupProof: (key: string) => {
      const g = rules.campaign.groups.find((x) => x.name === key);
      return g ? groupProof(g, lang) : '';
    },
  };
}

export interface ApplyFormOptions {
  values?: Record<string, unknown>;
  errors?: unknown[];
  /** changing an existing application */
  receipt?: Receipt;
  /** where the form posts and where the district search goes (the resident's own pages by default) */
  action?: string;
  searchAction?: string;
  /** a helper applying for someone: who, and how many more the helper may apply for */
  proxy?: { person: string; remaining: number; cap: number };
  /** the signed-in resident is a registered helper (a link to apply for someone else) */
  helperLink?: string;
  /** the birth date of the person applied for, when known: the weekday rule is told before the form */
  birthDate?: string | null | undefined;
  /** a submission refused for what the form cannot change: shown instead of the form */
  refused?: Refused | undefined;
}

export function renderApplyForm(
  ctx: Context,
  deps: AppDeps,
  rules: CampaignRules,
  o: ApplyFormOptions = {},
  status = 200,
): void {
  const c = rules.campaign;
  const lang = ctx.state.lang as Lang;
  const asked = typeof ctx.query.district === 'string' ? ctx.query.district : '';
  // the filter's key is the Korean district; one asked for in English picks the same
  const district = rules.sites.find((s) => asked && inDistrict(s, asked))?.district || asked;
  const amounts: number[] = [];
  for (let a = c.denomination; a <= c.per_person_max && amounts.length <= 60; a += c.denomination)
    amounts.push(a);
  const values =
    o.values ??
    (o.receipt
      ? { amount: o.receipt.amount, sites: o.receipt.sites.map((s) => s.id), group: o.receipt.group }
      : { amount: c.per_person_max, sites: [], group: '' });
  const own = o.receipt ? `/campaigns/${c.id}/application` : `/campaigns/${c.id}/apply`;
  const standing = weekdayStanding(ctx.state as PageWords, c, o.birthDate, deps.clock.now());
  const refused = o.refused ?? standing.refused;
  render(
    ctx,
    'apply-form',
    {
      ...pageBase(ctx, deps, rules),
      sites: rules.sites
        .filter((s) => inDistrict(s, asked) || (values.sites as string[] | undefined)?.includes(s.id))
        .map((s) => ({ id: s.id, ...siteWords(s, lang) })),
      allSites: rules.sites.length,
      districts: districtChoices(rules.sites, lang),
      district,
      rankCount: Math.min(MAX_RANKED_SITES, Math.max(1, rules.sites.length)),
      amounts: amounts.length <= 60 ? amounts : undefined,
      values,
      errors: o.errors ?? [],
      receipt: o.receipt,
      action: o.action ?? own,
      searchAction: o.searchAction ?? own,
      proxy: o.proxy,
      helperLink: o.helperLink,
      refused,
      turnNote: refused ? undefined : standing.note,
    },
    status,
  );
}
