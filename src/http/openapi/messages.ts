// Notices (routes/messages/*.ts): the admin's counts and retry, and Twilio's delivery status callbacks.
import { retrySchema, twilioStatusSchema } from '../routes/messages/schema.js';
import type { Operations } from './operation.js';

export const messageOperations: Operations = {
  '/api/admin/campaigns/{id}/messages': {
    get: {
      summary: "A campaign's notices: counts by channel and status, and the latest failures",
      tag: 'messages',
      caller: 'staff',
      ok: { status: 200, description: '{ campaign_id, counts, recent_failures }' },
      errors: [],
    },
  },
  '/api/admin/campaigns/{id}/messages/retry': {
    post: {
      summary: 'Send failed notices again: these ids, or every failed one',
      tag: 'messages',
      caller: 'staff',
      body: retrySchema,
      ok: { status: 200, description: 'How many were queued again' },
      errors: [],
    },
  },
  '/webhooks/twilio/status': {
    post: {
      summary: 'Delivery status callback (X-Twilio-Signature over PUBLIC_URL + path); repeats are harmless',
      tag: 'webhooks',
      caller: 'twilio',
      body: twilioStatusSchema,
      bodyType: 'application/x-www-form-urlencoded',
      ok: { status: 204, description: 'Recorded' },
      errors: [],
    },
  },
};
