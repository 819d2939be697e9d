// Twilio delivery status callbacks. The signature is checked against the URL Twilio was given
// (PUBLIC_URL + path): a mismatch is a 403 and nothing is stored. Repeats and late arrivals are harmless.
import type Router from '@koa/router';
import { recordStatusEvent } from '../../../db/repos/messageStatus.js';
import { DomainError } from '../../../domain/errors.js';
import { TWILIO_STATUS_PATH } from '../../../notify/twilioStatusPath.js';
import type { AppDeps } from '../../deps.js';
import { checkTwilioSignature } from '../../middleware/twilioSignature.js';
import { bodyOf, parse } from '../../validate.js';
import { twilioStatusSchema } from './schema.js';

export function twilioWebhookRoutes(router: Router, deps: AppDeps): void {
  router.post(TWILIO_STATUS_PATH, async (ctx) => {
    const params = bodyOf(ctx) as Record<string, string>;
    if (!ctx.is('urlencoded'))
      throw new DomainError('invalid_signature', 'The request signature does not match');
    checkTwilioSignature(ctx, deps, params);
    const m = parse(twilioStatusSchema, params);
    const sid = (m.MessageSid ?? m.SmsSid)!;
    const status = (m.MessageStatus ?? m.SmsStatus)!;
    const result = await recordStatusEvent(deps.db, {
      provider: 'twilio',
      providerId: sid,
      providerStatus: status,
      errorCode: m.ErrorCode ? `twilio_${m.ErrorCode}` : null,
    });
    ctx.state.log?.debug({ provider_id: sid, status, ...result }, 'twilio status callback');
    ctx.status = 204;
  });
}
