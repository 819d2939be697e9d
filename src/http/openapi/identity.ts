// Resident verification (routes/identity/api.ts) and the admin's group lists and identity flags
// (routes/identity/adminPages.ts).
import { z } from 'zod';
import {
  codeRequestSchema,
  codeSentSchema,
  codeVerifySchema,
  oidcTokenSchema,
  sessionReplySchema,
} from '../routes/identity/schema.js';
import { csvBodySchema } from '../routes/sites/schema.js';
import type { Operations } from './operation.js';

export const identityOperations: Operations = {
  '/api/identity/codes': {
    post: {
      summary: 'Send a 6-digit one-time code by SMS or email (5 minutes, 5 attempts, rate-limited)',
      tag: 'identity',
      caller: 'anyone',
      body: codeRequestSchema,
      ok: { status: 202, description: 'Sent', schema: codeSentSchema },
      errors: ['rate_limited'],
    },
  },
  '/api/identity/verify': {
    post: {
      summary: 'Check the code; returns a short-lived resident session token',
      tag: 'identity',
      caller: 'anyone',
      body: codeVerifySchema,
      ok: { status: 200, description: 'Verified', schema: sessionReplySchema },
      errors: ['code_invalid', 'code_expired', 'code_exhausted', 'rate_limited'],
    },
  },
  '/api/identity/oidc/nonce': {
    post: {
      summary: 'A nonce to put in the OpenID Connect request, its signed proof, the issuer and client id',
      tag: 'identity',
      caller: 'anyone',
      ok: { status: 200, description: '{ nonce, nonce_proof, issuer, client_id }' },
      errors: [],
    },
  },
  '/api/identity/oidc': {
    post: {
      summary:
        'Sign in with an ID token from the configured provider (issuer, audience, expiry, nonce, pinned algorithms)',
      tag: 'identity',
      caller: 'anyone',
      body: oidcTokenSchema,
      ok: { status: 200, description: 'Verified', schema: sessionReplySchema },
      errors: ['invalid_token', 'oidc_unavailable'],
    },
  },
  '/api/identity/session': {
    delete: {
      summary:
        "Sign the resident out: the session's token (X-Resident-Token, or the cookie's) is refused from then on, in every process within a second, and the cookie is cleared; again with the same token is no fault",
      tag: 'identity',
      caller: 'anyone',
      ok: { status: 204, description: 'Signed out' },
      errors: ['invalid_token'],
    },
  },
  '/api/admin/campaigns/{id}/groups/{group}/list': {
    post: {
      summary:
        "Replace a priority group's restricted list from CSV (phones, or subjects of the identity provider)",
      tag: 'admin',
      caller: 'staff',
      params: { group: z.string() },
      body: csvBodySchema,
      ok: { status: 200, description: '{ group, members }' },
      errors: [],
    },
  },
  '/api/admin/identity-flags': {
    get: {
      summary: 'Identities found to be one person with two applications, and which one was kept',
      tag: 'admin',
      caller: 'staff',
      ok: { status: 200, description: '{ flags: [...] }' },
      errors: [],
    },
  },
};
