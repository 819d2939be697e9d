// Twilio's request signature (HMAC-SHA1 over the URL it called, query string included, and the sorted
// parameters), checked with the one token the service has: TWILIO_AUTH_TOKEN, read from the configuration.
import type { Context } from 'koa';
// the signature check alone: the library's root loads its whole REST client (axios and forty modules)
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { DomainError } from '../../domain/errors.js';
import type { AppDeps } from '../deps.js';

/** A 403 unless the request carries Twilio's valid signature; without a token nothing is accepted. */
export function checkTwilioSignature(ctx: Context, deps: AppDeps, params: Record<string, string>): void {
  const token = deps.config.TWILIO_AUTH_TOKEN;
  const signature = ctx.get('x-twilio-signature');
  const url = deps.config.publicUrl + ctx.originalUrl;
  if (!token || !signature || !validateRequest(token, signature, url, params)) {
    throw new DomainError('invalid_signature', 'The request signature does not match');
  }
}
