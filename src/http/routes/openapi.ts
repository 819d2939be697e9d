import type Router from '@koa/router';
import type { AppDeps } from '../deps.js';
import { openApiDocument } from '../openapi.js';

export function openApiRoutes(router: Router, deps: AppDeps): void {
  router.get('/api/openapi.json', (ctx) => {
    ctx.body = openApiDocument(deps.config.publicUrl);
  });
}
