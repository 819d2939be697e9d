// /dev/outbox: outside production, the messages the development outbox recorded instead of sending,
// newest first, with the whole body, so a newcomer can read a one-time code and walk the journey.
import type Router from '@koa/router';
import { listOutbox } from '../../../db/repos/messageAdmin.js';
import { openedTexts } from '../../../notify/recipient.js';
import type { AppDeps } from '../../deps.js';
import { render } from '../../render.js';

export function devOutboxRoutes(router: Router, deps: AppDeps): void {
  if (deps.config.isProduction) return;
  router.get('/dev/outbox', async (ctx) => {
    // Codes are sealed in the table; a local developer reads them here (this page does not exist in production).
    const messages = (await listOutbox(deps.db, 200)).map((m) => openedTexts(m, deps.config.secrets.dataKey));
    if (!ctx.accepts('html')) {
      ctx.body = { messages };
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    render(ctx, 'dev-outbox', { messages });
  });
}
