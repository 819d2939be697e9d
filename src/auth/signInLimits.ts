// Limits on staff password sign-in, per account and per client address, in the shared rate-limit store.
// Attempts are counted before the password is checked (so a parallel burst cannot slip past the count);
// a good sign-in clears its account's count and gives its address's point back, so only failures add up.
import { createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import { createLimiter, type Limiter, type LimitSpec } from '../identity/rateLimits.js';

export interface SignInLimitSettings {
  /** wrong sign-ins per account (email) */
  perAccount: LimitSpec;
  /** wrong sign-ins per client address, whatever the account */
  perAddress: LimitSpec;
}

export const STAFF_SIGN_IN_LIMITS: SignInLimitSettings = {
  perAccount: { points: 10, seconds: 15 * 60 },
  perAddress: { points: 30, seconds: 15 * 60 },
};

export interface SignInLimits {
  perAccount: Limiter;
  perAddress: Limiter;
  /** the account's key in the store: keyed hash of the email, so the table holds no addresses */
  accountKey(email: string): string;
}

export function createSignInLimits(
  db: Knex,
  secret: Uint8Array,
  settings: SignInLimitSettings = STAFF_SIGN_IN_LIMITS,
): SignInLimits {
  return {
    perAccount: createLimiter(db, 'staffSignInAccount', settings.perAccount),
    perAddress: createLimiter(db, 'staffSignInAddress', settings.perAddress),
    accountKey: (email) =>
      createHmac('sha256', secret).update(`staff-sign-in:${email.trim().toLowerCase()}`).digest('base64url'),
  };
}
