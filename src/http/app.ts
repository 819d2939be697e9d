// createApp(deps): the whole HTTP surface, importable by tests without listening.
import Router from '@koa/router';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { DomainError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';
import { errorHandler } from './errors.js';
import { languageMiddleware } from './middleware/language.js';
import { metricsMiddleware } from './middleware/metrics.js';
import { publicOrigin } from './middleware/publicOrigin.js';
import { noStoreByDefault, requestContext, securityHeaders } from './middleware/requestContext.js';
import { residentPageState } from './middleware/residentAuth.js';
import { rememberRouteMatches } from './middleware/routeMatchCache.js';
import { safeInput } from './middleware/safeInput.js';
import { loadStaff } from './middleware/staffAuth.js';
import { htmlErrorPresenter } from './pages.js';
import { applyFastRoute } from './routes/applications/fastPath.js';
import { withCounterFastPath } from './routes/counter/fastPath.js';
import { routeModules } from './routes/index.js';
import { instantFastRoutes } from './routes/instant/fastPath.js';
import { withResidentFastPaths } from './routes/residentFastPath.js';
import { type RequestListener, withStockFastPath } from './routes/stock/fastPath.js';

/** Every route of the app; tests walk it to check that each staff route refuses the wrong people. */
export function buildRouter(deps: AppDeps): Router {
  const router = new Router();
  for (const mount of routeModules) mount(router, deps);
  return router;
}

export function createApp(deps: AppDeps): Koa {
  // Behind TRUST_PROXY proxies koa reads X-Forwarded-Proto/Host, and the client address as the entry that
  // many places from the right of X-Forwarded-For (what our own proxy appended, not what the client sent).
  const hops = deps.config.TRUST_PROXY ?? 0;
  const app = new Koa({ proxy: hops > 0, maxIpsCount: hops });
  app.silent = true;
  const router = rememberRouteMatches(buildRouter(deps));

  app.use(requestContext(deps.logger));
  app.use(metricsMiddleware(deps.metrics));
  app.use(securityHeaders());
  app.use(noStoreByDefault());
  app.use(publicOrigin(deps.config.publicUrl));
  app.use(languageMiddleware());
  app.use(errorHandler(deps.logger, htmlErrorPresenter));
  app.use(async (ctx, next) => {
    // A body we cannot read is refused outright rather than silently ignored. Full types, not 'json':
    // type-is looks a short name up in the mime table on every request.
    if (ctx.request.length && !ctx.is('application/json', 'application/x-www-form-urlencoded')) {
      throw new DomainError('unsupported_media_type', 'Send JSON or form data');
    }
    await next();
  });
  app.use(
    bodyParser({
      enableTypes: ['json', 'form'],
      jsonLimit: deps.config.BODY_LIMIT,
      formLimit: deps.config.BODY_LIMIT,
      strict: true,
      onerror: (err) => {
        throw err;
      },
    }),
  );
  app.use(safeInput(router));
  app.use(
    loadStaff({
      db: deps.db,
      clock: deps.clock,
      sessionSecret: deps.config.secrets.sessionSecret,
      sessions: deps.staffSessions,
    }),
  );
  app.use(residentPageState(deps));
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  return app;
}

/**
 * What the server listens with: the app, with the public stock reads, a rush's resident API requests (an
 * application, an instant sale's queue and purchase) and the counter's press answered ahead of it.
 */
export function requestListener(deps: AppDeps, app: Koa = createApp(deps)): RequestListener {
  const rush = [applyFastRoute(deps), ...instantFastRoutes(deps)];
  const counter = withCounterFastPath(deps, app.callback());
  return withStockFastPath(deps, withResidentFastPaths(deps, rush, counter));
}
