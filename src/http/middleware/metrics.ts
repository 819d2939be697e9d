// Request rate and latency by matched route, into the process's metrics registry.
import type { Context, Next } from 'koa';
import type { Metrics } from '../../metrics/registry.js';

export function metricsMiddleware(metrics: Metrics) {
  return async (ctx: Context, next: Next) => {
    const end = metrics.latency.startTimer();
    try {
      await next();
    } finally {
      // The matched route pattern, never the raw path (ids would explode the label set).
      const route = (ctx as Context & { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      end({ method: ctx.method, route: String(route) });
      metrics.requests.inc({ method: ctx.method, route: String(route), status: String(ctx.status) });
    }
  };
}
