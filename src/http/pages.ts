// Shared bits of the HTML pages: the error page.
import type { Context } from 'koa';
import type { DomainError } from '../domain/errors.js';
import type { Translate } from '../i18n/catalogue.js';
import { render } from './render.js';

export const htmlErrorPresenter = {
  html(ctx: Context, err: DomainError, status: number) {
    const t = ctx.state.t as Translate;
    const key = `errors.${err.code}`;
    const message = t(key) === key ? err.message : t(key);
    render(ctx, 'error', { status, code: err.code, message, fields: err.fields ?? {} }, status);
  },
};
