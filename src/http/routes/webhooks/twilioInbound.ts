// Inbound SMS from Twilio. The signature (HMAC-SHA1 over PUBLIC_URL + path + sorted params) is checked before
// anything is read or stored; a mismatch is 403 and leaves no trace. Replies go out through the notice queue
// (kind 'sms_reply'), not as TwiML: they are then durable, retried, rate-limited with every other SMS, shown in
// the development outbox, and a slow database never makes Twilio time out and drop the answer.
//
// Development only: with NODE_ENV other than production AND no TWILIO_AUTH_TOKEN there is no secret to check a
// signature with, so the webhook accepts unsigned requests (each logged as a warning, and answered with
// X-Signature-Check: skipped) so a developer can try SMS applying with curl or /dev/sms. In production, or once
// a token is set, every request must carry a valid signature.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { handleInboundSms } from '../../../commands/handleInboundSms.js';
import type { Logger } from '../../../logger.js';
import type { AppDeps } from '../../deps.js';
import { checkTwilioSignature } from '../../middleware/twilioSignature.js';
import { bodyOf, parse } from '../../validate.js';
import { twilioInboundSchema } from './schema.js';

export const TWILIO_INBOUND_PATH = '/webhooks/twilio/inbound';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** True when inbound SMS may arrive unsigned: outside production, with no auth token configured. */
export function unsignedInboundAllowed(deps: AppDeps): boolean {
  return !deps.config.isProduction && !deps.config.TWILIO_AUTH_TOKEN;
}

function checkSignature(ctx: Context, deps: AppDeps, params: Record<string, string>): void {
  if (unsignedInboundAllowed(deps)) {
    ((ctx.state.log as Logger | undefined) ?? deps.logger).warn(
      { path: ctx.path },
      'inbound SMS accepted WITHOUT a signature check (development: NODE_ENV is not production and TWILIO_AUTH_TOKEN is unset)',
    );
    ctx.set('X-Signature-Check', 'skipped');
    return;
  }
  checkTwilioSignature(ctx, deps, params);
}

export function twilioInboundRoutes(router: Router, deps: AppDeps): void {
  router.post(TWILIO_INBOUND_PATH, async (ctx) => {
    const params = bodyOf(ctx) as Record<string, string>;
    checkSignature(ctx, deps, params);
    const m = parse(twilioInboundSchema, params);
    const outcome = await handleInboundSms(deps.intake, {
      messageSid: m.MessageSid,
      from: m.From,
      body: m.Body,
    });
    ctx.set('X-Replayed', outcome.replayed ? '1' : '0');
    ctx.type = 'text/xml';
    ctx.body = EMPTY_TWIML;
  });
}
