// Staff sign-in, sign-out and password (routes/staff/auth.ts), and disabling an account.
import { credentialsSchema, passwordChangeSchema } from '../routes/staff/schema.js';
import type { Operations } from './operation.js';

export const staffOperations: Operations = {
  '/api/staff/session': {
    post: {
      summary:
        'Sign in by password: a bearer token and its CSRF token. 10 wrong tries per account and 30 per ' +
        'address in 15 minutes, then 429 with Retry-After',
      tag: 'staff',
      caller: 'anyone',
      body: credentialsSchema,
      ok: { status: 200, description: '{ token, csrf_token, staff }' },
      errors: ['invalid_credentials', 'rate_limited', 'busy'],
    },
    get: {
      summary: 'Who is signed in, and the CSRF token for cookie sessions',
      tag: 'staff',
      caller: 'anyone',
      ok: { status: 200, description: '{ staff, csrf_token }' },
      errors: ['unauthenticated'],
    },
    delete: {
      summary: 'Sign out: the session ends and its token stops working (a cookie session needs X-CSRF-Token)',
      tag: 'staff',
      caller: 'anyone',
      ok: { status: 204, description: 'Signed out' },
      errors: ['csrf_failed'],
    },
  },
  '/api/staff/password': {
    post: {
      summary: 'Change your password; every session of the account ends (sign in again)',
      tag: 'staff',
      caller: 'staff',
      body: passwordChangeSchema,
      ok: { status: 204, description: 'Changed' },
      errors: ['invalid_credentials', 'rate_limited', 'busy'],
    },
  },
  '/api/admin/staff/{id}/disable': {
    post: {
      summary: 'Disable a staff account (admin); its sessions end at once',
      tag: 'staff',
      caller: 'staff',
      ok: { status: 204, description: 'Disabled' },
      errors: ['conflict'],
    },
  },
};
