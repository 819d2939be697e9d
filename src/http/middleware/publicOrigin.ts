// What the browser sees is PUBLIC_URL, not the hop that reaches us: with an https PUBLIC_URL the service sits
// behind a TLS-terminating proxy, so its cookies are Secure and it asks browsers to stay on https (HSTS).
import type { Context, Next } from 'koa';

export const HSTS = 'max-age=31536000';

export function publicOrigin(publicUrl: string) {
  const https = publicUrl.startsWith('https:');
  return async (ctx: Context, next: Next) => {
    // koa's cookie jar refuses a Secure cookie over the proxy's plain-HTTP hop (a 500 on every page that set
    // one); the jar follows PUBLIC_URL instead, so every cookie is Secure exactly when the public site is https.
    ctx.cookies.secure = https;
    if (https) ctx.set('Strict-Transport-Security', HSTS);
    await next();
  };
}
