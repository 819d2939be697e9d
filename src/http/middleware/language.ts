// The request's language: ?lang= (remembered in the lang cookie), then the lang cookie, then Korean.
import type { Context, Next } from 'koa';
import { isLang, type Lang, translator } from '../../i18n/catalogue.js';

export function languageMiddleware() {
  return async (ctx: Context, next: Next) => {
    const asked = ctx.query.lang;
    let lang: Lang = 'ko';
    if (isLang(asked)) {
      lang = asked;
      ctx.cookies.set('lang', lang, { httpOnly: false, sameSite: 'lax', maxAge: 365 * 24 * 3600 * 1000 });
    } else if (isLang(ctx.cookies.get('lang'))) {
      lang = ctx.cookies.get('lang') as Lang;
    }
    ctx.state.lang = lang;
    ctx.state.t = translator(lang);
    await next();
  };
}
