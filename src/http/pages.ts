// Shared bits of the HTML pages: the error page a browser gets, in its language, with a way back.
import type { Context } from 'koa';
import type { Lang, Translate } from '../i18n/catalogue.js';
import type { ErrorPresenter, ShownError } from './errors.js';
import { pageText, problemFields } from './problems.js';
import { render } from './render.js';

/** The page the person came from, when it is one of ours (never an address another site put there). */
function backLink(ctx: Context): string | undefined {
  const referer = ctx.get('referer');
  if (!referer) return undefined;
  try {
    const from = new URL(referer);
    if (from.host !== ctx.host) return undefined;
    const back = from.pathname + from.search;
    return back === ctx.url ? undefined : back;
  } catch {
    return undefined;
  }
}

/** Staff land on their own start page; everyone else on the campaign list. */
function homeLink(ctx: Context): string {
  const staff = ctx.state.staff as { role?: string } | undefined;
  if (!staff?.role) return '/';
  return staff.role === 'site_staff' ? '/counter' : '/admin';
}

export const htmlErrorPresenter: ErrorPresenter = {
  html(ctx: Context, err: ShownError, status: number) {
    const t = ctx.state.t as Translate;
    const retryAfter = err.details?.retry_after;
    render(
      ctx,
      'error',
      {
        status,
        code: err.code,
        // every status and code has its words in both languages (test/http/status-mapping.test.ts)
        heading: t(`errors.heading.${status}`),
        message: t(`errors.${err.code}`),
        fields: err.problems
          ? problemFields(err.problems, pageText(t, ctx.state.lang as Lang))
          : (err.fields ?? {}),
        retry: typeof retryAfter === 'number' ? t('errors.retry_after', { seconds: retryAfter }) : '',
        requestId: err.code === 'internal' ? String(ctx.state.requestId ?? '') : '',
        back: backLink(ctx),
        home: homeLink(ctx),
      },
      status,
    );
  },
};
