import type { Context } from 'koa';

/** The client's address for per-address limits: the socket's, or with TRUST_PROXY what our proxy appended. */
export function clientIp(ctx: Context): string {
  return ctx.ip || 'unknown';
}
