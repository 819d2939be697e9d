// /healthz: the process answers. /readyz: the database answers and has every migration. /metrics: Prometheus.
import type Router from '@koa/router';
import { countCampaignsByState } from '../../db/repos/campaigns.js';
import { missingMigrations } from '../../db/repos/health.js';
import type { AppDeps } from '../deps.js';

export function healthRoutes(router: Router, deps: AppDeps): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    try {
      const pending = await missingMigrations(deps.db);
      ctx.status = pending.length === 0 ? 200 : 503;
      ctx.body = { status: pending.length === 0 ? 'ready' : 'migrations_pending', pending };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'database_unreachable' };
    }
  });

  router.get('/metrics', async (ctx) => {
    const counts = await countCampaignsByState(deps.db).catch(() => []);
    deps.metrics.campaigns.reset();
    for (const { state, count } of counts) deps.metrics.campaigns.set({ state }, Number(count));
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
}
