// The draw (routes/draw/api.ts): its public record, results, receipts and bundle; the admin's beacon and office
// collection, and the draw's status.
import { z } from 'zod';
import { beaconSchema, collectSchema, PUBLIC_ID } from '../routes/draw/schema.js';
import type { Operations } from './operation.js';

const publicId = { public_id: z.string().regex(PUBLIC_ID) };

export const drawOperations: Operations = {
  '/api/campaigns/{id}/audit': {
    get: {
      summary: "The draw's public record: roster root, beacon, seed, counts, and how to verify",
      tag: 'draw',
      caller: 'anyone',
      ok: { status: 200, description: 'The audit view' },
      errors: [],
    },
  },
  '/api/campaigns/{id}/results/{public_id}': {
    get: {
      summary: 'The result of one receipt number, once drawn',
      tag: 'draw',
      caller: 'anyone',
      params: publicId,
      ok: { status: 200, description: '{ result }: drawn, waitlisted or not, with the amount and site' },
      errors: [],
    },
  },
  '/api/campaigns/{id}/receipts/{public_id}': {
    get: {
      summary: "A roster entry and its inclusion proof under the frozen roster's Merkle root",
      tag: 'draw',
      caller: 'anyone',
      params: publicId,
      ok: {
        status: 200,
        description: '{ entry, index, tree_size, proof, roster_root } (npm run verify -- --receipt)',
      },
      errors: [],
    },
  },
  '/api/campaigns/{id}/bundle.json': {
    get: {
      summary: 'The whole draw bundle (roster, seed inputs, results) for independent verification, streamed',
      tag: 'draw',
      caller: 'anyone',
      ok: { status: 200, description: 'The bundle (docs/draw-v1.md)', type: 'application/json' },
      errors: [],
    },
  },
  '/api/admin/campaigns/{id}/draw': {
    get: {
      summary: "The draw's status: the audit view, the missing beacon, who recorded it, notices sent",
      tag: 'draw',
      caller: 'staff',
      ok: { status: 200, description: 'The audit view and the admin fields' },
      errors: [],
    },
  },
  '/api/admin/campaigns/{id}/beacon': {
    post: {
      summary:
        'Record the public beacon (after the close, once); the draw then runs. A value must be of the kind the ' +
        "source named at the opening says: a drand round's randomness (64 hex digits, recorded in lower case) or " +
        'lottery numbers (whole numbers, recorded one space apart); else validation_failed on `beacon`',
      tag: 'draw',
      caller: 'staff',
      body: beaconSchema,
      ok: { status: 201, description: '{ beacon }: the value as recorded' },
      errors: ['beacon_too_early', 'beacon_already_recorded'],
    },
  },
  '/api/admin/campaigns/{id}/awards/{public_id}/collect': {
    post: {
      summary: 'Mark an award collected at the office (with its claim code when one is required)',
      tag: 'draw',
      caller: 'staff',
      params: publicId,
      body: collectSchema,
      ok: { status: 200, description: '{ collected }' },
      errors: [
        'code_invalid',
        'conflict',
        'already_collected',
        'not_won',
        'claim_expired',
        'award_refused',
        'pickup_not_started',
      ],
    },
  },
};
