// Inbound SMS (routes/webhooks/twilioInbound.ts): the commands residents text.
import { twilioInboundSchema } from '../routes/webhooks/schema.js';
import type { Operations } from './operation.js';

export const webhookOperations: Operations = {
  '/webhooks/twilio/inbound': {
    post: {
      summary:
        'Inbound SMS commands (신청/APPLY, 상태/STATUS, 취소/CANCEL, 도움말/HELP); X-Twilio-Signature required ' +
        '(outside production with no TWILIO_AUTH_TOKEN set, unsigned requests are accepted and answered with ' +
        'X-Signature-Check: skipped)',
      tag: 'webhooks',
      caller: 'twilio',
      body: twilioInboundSchema,
      bodyType: 'application/x-www-form-urlencoded',
      ok: { status: 200, description: 'Empty TwiML; the reply is queued as an SMS', type: 'text/xml' },
      errors: [],
    },
  },
};
