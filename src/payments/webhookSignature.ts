// Signing in the Standard Webhooks scheme that PortOne V2 uses (v1,<base64 HMAC-SHA256 of "id.timestamp.body">):
// the development provider signs its webhooks this way, so one verifier (the PortOne SDK's) checks both.
import { createHmac } from 'node:crypto';

export function signWebhook(
  secret: Uint8Array,
  id: string,
  timestampSec: number,
  body: string,
): Record<string, string> {
  const mac = createHmac('sha256', secret).update(`${id}.${timestampSec}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSec), 'webhook-signature': `v1,${mac}` };
}
