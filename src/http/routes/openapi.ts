import type Router from '@koa/router';
import type { AppDeps } from '../deps.js';
import { openApiDocument } from '../openapi/index.js';

export function openApiRoutes(router: Router, deps: AppDeps): void {
  let doc: object | undefined; // built on first request: it describes this app's own payment provider
  router.get('/api/openapi.json', (ctx) => {
    doc ??= openApiDocument({
      serverUrl: deps.config.publicUrl,
      paymentProvider: deps.payments?.provider.name,
    });
    ctx.body = doc;
  });
}
