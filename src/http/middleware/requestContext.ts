// Each request gets an id (echoed as X-Request-Id) and a child logger that carries it.
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from '../../logger.js';

const VALID_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The caller's X-Request-Id when it is a plain token, else a fresh one. */
export function requestIdFrom(given: string | undefined): string {
  return given && VALID_ID.test(given) ? given : randomUUID();
}

export function requestContext(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    const requestId = requestIdFrom(ctx.get('x-request-id'));
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    // The child logger is made when something logs: at the production level (warn) most requests never do.
    let log: Logger | undefined;
    const logOf = () => {
      log ??= logger.child({ request_id: requestId });
      return log;
    };
    Object.defineProperty(ctx.state, 'log', { get: logOf, enumerable: true, configurable: true });
    const started = performance.now();
    try {
      await next();
    } finally {
      if (logger.isLevelEnabled('info'))
        logOf().info(
          {
            method: ctx.method,
            path: ctx.path,
            status: ctx.status,
            ms: Math.round(performance.now() - started),
          },
          'request',
        );
    }
  };
}

/** Security headers every response carries (HTML pages add a Content-Security-Policy). */
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
} as const;

export function securityHeaders() {
  return async (ctx: Context, next: Next) => {
    await next();
    ctx.set(SECURITY_HEADERS);
    if (ctx.type.startsWith('text/html')) {
      // A page that embeds a provider's checkout (PortOne) sets its own, wider policy in ctx.state.csp.
      ctx.set(
        'Content-Security-Policy',
        (ctx.state.csp as string | undefined) ??
          "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
      );
    }
  };
}

const CREDENTIAL_COOKIES = /(?:^|;\s*)(?:staff_session|resident_session|oidc_flow)=/;

/**
 * Responses are `Cache-Control: no-store` unless a route says they may be cached, and always when the request
 * carried a session (cookie, bearer token or resident token): a page or answer with personal data must not
 * stay in a shared or browser cache. Static files keep their own caching.
 */
export function noStoreByDefault() {
  return async (ctx: Context, next: Next) => {
    await next();
    if (ctx.path.startsWith('/static/')) return;
    const personal =
      ctx.get('authorization') !== '' ||
      ctx.get('x-resident-token') !== '' ||
      CREDENTIAL_COOKIES.test(ctx.get('cookie'));
    if (personal || !ctx.response.get('Cache-Control')) ctx.set('Cache-Control', 'no-store');
  };
}
