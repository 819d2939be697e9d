// The pickup counter (routes/counter/api.ts): check a code, record a collection or a refusal, today's pickups;
// and the public key counter pages verify claim tokens with.

import type { ErrorCode } from '../../domain/errors.js';
import { checkSchema, collectSchema, refuseSchema } from '../routes/counter/schema.js';
import { siteId } from '../routes/sites/schema.js';
import type { Operations } from './operation.js';

const site = { site_id: siteId };
/** Why a code cannot be handed over here and now (commands/counterClaim.ts, domain/counter.ts). */
const NOT_COLLECTABLE: ErrorCode[] = [
  'claim_code_unknown',
  'claim_token_invalid',
  'claim_expired',
  'already_collected',
  'wrong_site',
  'not_won',
  'award_refused',
  'pickup_not_started',
];

export const counterOperations: Operations = {
  '/api/claim-keys.json': {
    get: {
      summary: 'The public JWK that claim tokens (QR codes) are signed with, for offline checks',
      tag: 'counter',
      caller: 'anyone',
      ok: { status: 200, description: '{ keys: [jwk] }' },
      errors: [],
    },
  },
  '/api/sites/{site_id}/collections/check': {
    post: {
      summary: 'What a claim code or token is for, and whether it may be handed over here now',
      tag: 'counter',
      caller: 'staff',
      params: site,
      body: checkSchema,
      ok: {
        status: 200,
        description:
          '{ award }: public_id, campaign { title_ko, title_en, code, time_zone }, amount, unit, slot, ' +
          'slot_starts_at, claim_deadline, checks. A refusal naming a site (already_collected, wrong_site) ' +
          'gives details.site_name and details.site_name_en',
      },
      errors: NOT_COLLECTABLE,
    },
  },
  '/api/sites/{site_id}/collections': {
    post: {
      summary:
        'Mark collected (also the sync of what a counter recorded offline: offline_ref, handed_over_at)',
      tag: 'counter',
      caller: 'staff',
      params: site,
      body: collectSchema,
      ok: { status: 201, description: '{ collection }' },
      errors: [...NOT_COLLECTABLE, 'conflict'],
    },
  },
  '/api/sites/{site_id}/refusals': {
    post: {
      summary: 'Refuse to hand over (no ID, not the person, ...), recorded with a reason',
      tag: 'counter',
      caller: 'staff',
      params: site,
      body: refuseSchema,
      ok: { status: 201, description: '{ refusal }' },
      errors: [...NOT_COLLECTABLE, 'conflict'],
    },
  },
  '/api/sites/{site_id}/pickups': {
    get: {
      summary: "Today's pickups at this site",
      tag: 'counter',
      caller: 'staff',
      params: site,
      ok: { status: 200, description: 'The pickup list' },
      errors: [],
    },
  },
};
