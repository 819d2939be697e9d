// /dev/sms (never in production, and off once TWILIO_AUTH_TOKEN is set, like unsigned webhooks): a developer types a text "from" a phone number and sees the answer, running
// the same command as an inbound Twilio message, without Twilio. The reply is also queued as an SMS, so it
// appears in /dev/outbox like any other message.
import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import { handleInboundSms } from '../../../commands/handleInboundSms.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import { checkResidentCsrf, residentCsrfToken } from '../../middleware/residentAuth.js';
import { render } from '../../render.js';
import { parse } from '../../validate.js';
import { devSmsSchema } from './schema.js';
import { unsignedInboundAllowed } from './twilioInbound.js';

/** The same rule as the webhook: only where unsigned inbound SMS is accepted (no token, not production). */
function requireUnsigned(deps: AppDeps) {
  return async (_ctx: Context, next: Next) => {
    if (!unsignedInboundAllowed(deps)) {
      throw new DomainError(
        'forbidden',
        '/dev/sms is off: TWILIO_AUTH_TOKEN is set, so inbound SMS must be signed by Twilio',
      );
    }
    await next();
  };
}

export function devSmsRoutes(router: Router, deps: AppDeps): void {
  if (deps.config.isProduction) return;

  router.get('/dev/sms', requireUnsigned(deps), (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    render(ctx, 'dev-sms', { csrf: residentCsrfToken(ctx, deps), values: {}, result: undefined });
  });

  router.post('/dev/sms', requireUnsigned(deps), async (ctx) => {
    checkResidentCsrf(ctx, deps);
    const b = parse(devSmsSchema, ctx.request.body);
    const messageSid = `SM${randomBytes(16).toString('hex')}`;
    const outcome = await handleInboundSms(deps.intake, { messageSid, from: b.from, body: b.body });
    ctx.state.log?.info({ sid: messageSid }, 'development inbound SMS from /dev/sms');
    ctx.set('Cache-Control', 'no-store');
    render(ctx, 'dev-sms', {
      csrf: residentCsrfToken(ctx, deps),
      values: b,
      result: { sid: messageSid, reply: outcome.replayed ? '' : outcome.reply },
    });
  });
}
