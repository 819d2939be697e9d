// Pages from templates/pages with eta (HTML-escaped by default); every page gets t(), lang and the CSRF token.
import path from 'node:path';
import { Eta } from 'eta';
import type { Context } from 'koa';
import { type Campaign, cancelMessageIn } from '../domain/campaign.js';
import { type CampaignContact, type ContactView, contactIn } from '../domain/contact.js';
import { type SiteWording, type SiteWords, siteWords } from '../domain/site.js';
import type { Lang, Translate } from '../i18n/catalogue.js';
import { formatIn, when } from '../i18n/when.js';
import { templatesDir } from '../paths.js';

const eta = new Eta({
  views: path.join(templatesDir, 'pages'),
  cache: true,
  autoEscape: true,
  autoTrim: false,
});

export interface PageHelpers {
  t: Translate;
  lang: Lang;
  csrfToken: string | undefined;
  staff: unknown;
  path: string;
  /** a moment shown in the campaign's time zone, e.g. 2026-12-01 08:00 (GMT+9) (i18n/when.ts) */
  when(d: Date, zone: string): string;
  /** a part of a moment in the campaign's time zone, by a luxon pattern (e.g. 'HH:mm'; 'ZZZZ' the zone's name) */
  format(d: Date, zone: string, pattern: string): string;
  /** the same URL in the other language */
  langUrl(lang: Lang): string;
  /** a cancelled campaign's word to residents in the page's language, else the other one given; undefined: none */
  cancelMessage(c: Pick<Campaign, 'state' | 'cancel_message_ko' | 'cancel_message_en'>): string | undefined;
  /** whom residents ask about the campaign, in the page's language, else the other one given; undefined: none */
  campaignContact(c: CampaignContact): ContactView | undefined;
  /** a site's name, district, address and hours in the page's language, else the other one given (domain/site.ts) */
  siteWords(s: SiteWording): SiteWords;
  /** ` lang="ko"` for words in a language other than the page's (a fallback a screen reader must voice as such) */
  langAttr(wordsLang: string): string;
  /** a resident (or a helper) signed in on this browser: the header's sign-out form and its CSRF token */
  residentSignOut: { csrf: string } | undefined;
  /** just signed out (the sign-out's redirect, with no session left): the page says so */
  signedOut: boolean;
}

/** The resident's sign-out for the header: undefined without a session, or when a page found it stale. */
function residentSignOut(ctx: Context): { csrf: string } | undefined {
  const csrf = ctx.state.residentCsrf as (() => string) | undefined;
  return csrf && ctx.state.resident !== false ? { csrf: csrf() } : undefined;
}

export function pageHelpers(ctx: Context): PageHelpers {
  const lang = ctx.state.lang as Lang;
  const signOut = residentSignOut(ctx);
  return {
    t: ctx.state.t as Translate,
    lang,
    csrfToken: ctx.state.csrfToken as string | undefined,
    staff: ctx.state.staff,
    path: ctx.path,
    when: (d, zone) => when(d, zone, lang),
    format: (d, zone, pattern) => formatIn(d, zone, lang, pattern),
    langUrl: (to) => {
      const params = new URLSearchParams(ctx.querystring);
      params.set('lang', to);
      return `${ctx.path}?${params.toString()}`;
    },
    cancelMessage: (c) => (c.state === 'cancelled' ? cancelMessageIn(c, lang) : undefined),
    campaignContact: (c) => contactIn(c, lang),
    siteWords: (s) => siteWords(s, lang),
    langAttr: (wordsLang) => (wordsLang === lang ? '' : ` lang="${wordsLang === 'en' ? 'en' : 'ko'}"`),
    residentSignOut: signOut,
    signedOut: ctx.query.signed_out === '1' && !signOut,
  };
}

export function render(ctx: Context, page: string, data: Record<string, unknown> = {}, status = 200): void {
  const helpers = pageHelpers(ctx);
  // a page whose header speaks for a signed-in resident is theirs alone, and gone once they sign out
  if (helpers.residentSignOut) ctx.set('Cache-Control', 'no-store');
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = eta.render(page, { ...helpers, ...data });
}
