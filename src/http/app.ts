// createApp(deps): the whole HTTP surface, importable by tests without listening.
import Router from '@koa/router';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import type { AppDeps } from './deps.js';
import { errorHandler } from './errors.js';
import { languageMiddleware } from './i18n.js';
import { metricsMiddleware } from './metrics.js';
import { requestContext, securityHeaders } from './middleware/requestContext.js';
import { loadStaff } from './middleware/staffAuth.js';
import { htmlErrorPresenter } from './pages.js';
import { routeModules } from './routes/index.js';

export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: false });
  app.silent = true;
  const router = new Router();
  for (const mount of routeModules) mount(router, deps);

  app.use(requestContext(deps.logger));
  app.use(metricsMiddleware(deps.metrics));
  app.use(securityHeaders());
  app.use(languageMiddleware());
  app.use(errorHandler(deps.logger, htmlErrorPresenter));
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
  app.use(loadStaff({ db: deps.db, clock: deps.clock, sessionSecret: deps.config.secrets.sessionSecret }));
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  return app;
}
