// Resident applications (routes/applications/api.ts): apply, read, change, withdraw; a proxy applies for another.
import { z } from 'zod';
import {
  applicationSchema,
  proxyApplicationSchema,
  receiptSchema,
  resultSchema,
} from '../routes/applications/schema.js';
import { contactReplySchema } from '../routes/campaigns/schema.js';
import { districtQuery } from '../routes/sites/schema.js';
import type { Operations } from './operation.js';

const receiptReply = z.object({ receipt: receiptSchema });

export const applicationOperations: Operations = {
  '/api/campaigns/{id}/sites': {
    get: {
      summary: "The campaign's pickup sites",
      tag: 'applications',
      caller: 'anyone',
      query: districtQuery,
      ok: { status: 200, description: '{ sites: [...] }' },
      errors: [],
    },
  },
  '/api/campaigns/{id}/application': {
    post: {
      summary:
        'Apply (once per person; a second attempt gets duplicate_application with the existing receipt)',
      tag: 'applications',
      caller: 'resident',
      body: applicationSchema,
      ok: {
        status: 201,
        description: 'Applied',
        schema: receiptReply,
        also: { 200: 'A withdrawn application applied again (same public id)' },
      },
      errors: [
        'not_eligible',
        'verification_not_allowed',
        'duplicate_application',
        'campaign_not_open',
        'campaign_closed',
        'conflict',
        'busy',
        'use_sale_queue',
      ],
    },
    get: {
      summary:
        'Your application and, after the draw, its outcome (what, where, when, claim code, what to bring)',
      tag: 'applications',
      caller: 'resident',
      ok: {
        status: 200,
        description:
          'The receipt, and the result; before the draw the result is null, with draw_at and poll_after_ms ' +
          '(when to look again, spread over a few seconds; also as Retry-After); a campaign cancelled before its ' +
          'draw answers cancelled: true and no time to look again (there will be no result), with ' +
          "cancel_message, the operator's word to residents in Korean and English (each null when not given); " +
          'always contact, whom to ask about the campaign (null when its operator set none)',
        schema: z.object({
          receipt: receiptSchema,
          result: resultSchema.nullable(),
          draw_at: z.string().datetime().optional(),
          poll_after_ms: z.number().int().optional(),
          cancelled: z.literal(true).optional(),
          cancel_message: z.object({ ko: z.string().nullable(), en: z.string().nullable() }).optional(),
          contact: contactReplySchema.nullable(),
        }),
      },
      errors: [],
    },
    put: {
      summary: 'Change your application until the window closes (database clock)',
      tag: 'applications',
      caller: 'resident',
      body: applicationSchema,
      ok: { status: 200, description: 'Changed', schema: receiptReply },
      errors: ['not_eligible', 'campaign_closed', 'conflict'],
    },
    delete: {
      summary: 'Withdraw until the window closes; applying again revives it with the same public id',
      tag: 'applications',
      caller: 'resident',
      ok: { status: 200, description: 'Withdrawn', schema: receiptReply },
      errors: ['campaign_closed'],
    },
  },
  '/api/proxy/campaigns/{id}/applications': {
    post: {
      summary: 'Apply for the helped person (channel proxy, audited, counted against the helper cap)',
      tag: 'proxy',
      caller: 'resident',
      body: proxyApplicationSchema,
      ok: {
        status: 201,
        description: 'Applied',
        schema: receiptReply,
        also: { 200: 'A withdrawn application applied again' },
      },
      errors: [
        'not_a_proxy',
        'proxy_cap_reached',
        'not_eligible',
        'duplicate_application',
        'campaign_not_open',
        'campaign_closed',
        'busy',
        'use_sale_queue',
      ],
    },
  },
};
