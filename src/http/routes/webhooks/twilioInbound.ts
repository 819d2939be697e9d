// Inbound SMS from Twilio. The signature (HMAC-SHA1 over PUBLIC_URL + path + sorted params) is checked before
// anything is read or stored; a mismatch is 403 and leaves no trace. Replies go out through the notice queue
// (kind 'sms_reply'), not as TwiML: they are then durable, retried, rate-limited with every other SMS, shown in
// the development outbox, and a slow database never makes Twilio time out and drop the answer.
import type Router from '@koa/router';
import twilio from 'twilio';
import { handleInboundSms } from '../../../commands/handleInboundSms.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import { intakeOf } from '../../intake.js';
import { parse } from '../../validate.js';
import { twilioInboundSchema } from './schema.js';

export const TWILIO_INBOUND_PATH = '/webhooks/twilio/inbound';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export function twilioInboundRoutes(router: Router, deps: AppDeps): void {
  router.post(TWILIO_INBOUND_PATH, async (ctx) => {
    const { twilioAuthToken, ctx: intake } = intakeOf(deps);
    const params = (ctx.request.body ?? {}) as Record<string, string>;
    const signature = ctx.get('x-twilio-signature');
    const url = deps.config.publicUrl + ctx.originalUrl;
    if (!twilioAuthToken || !signature || !twilio.validateRequest(twilioAuthToken, signature, url, params)) {
      throw new DomainError('invalid_signature', 'The request signature does not match');
    }
    const m = parse(twilioInboundSchema, params);
    const outcome = await handleInboundSms(intake, { messageSid: m.MessageSid, from: m.From, body: m.Body });
    ctx.set('X-Replayed', outcome.replayed ? '1' : '0');
    ctx.type = 'text/xml';
    ctx.body = EMPTY_TWIML;
  });
}
