// Keyed hashes and encryption for personal data: identity keys, code hashes, contact details at rest.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { open, seal } from '../crypto/seal.js';
import { identifier } from '../domain/identity.js';

export interface IdentitySecrets {
  /** HMAC key for identity keys, lookup hashes and code hashes */
  identityPepper: Uint8Array;
  /** AES-256-GCM key for contact details */
  dataKey: Uint8Array;
}

const hmac = (key: Uint8Array, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');

/** identity_key = HMAC-SHA256(pepper, normalised identifier). */
export function identityKey(s: IdentitySecrets, normalisedIdentifier: string): string {
  return hmac(s.identityPepper, `identity\u0000${normalisedIdentifier}`);
}

export type KeyKind = 'phone' | 'email' | 'oidc' | 'ci';
export interface VerifiedKey {
  kind: KeyKind;
  hash: string;
}

/**
 * The key of each thing a person can prove. A phone number's (or address's) key is its lookup hash, so rows
 * stored before re-keying (which kept phone_hash) are re-keyed without any secret, and an imported list of phone
 * numbers is keyed the same way.
 */
export const verifiedKey = {
  phone: (s: IdentitySecrets, e164: string): VerifiedKey => ({ kind: 'phone', hash: contactHash(s, e164) }),
  email: (s: IdentitySecrets, address: string): VerifiedKey => ({
    kind: 'email',
    hash: contactHash(s, address),
  }),
  oidc: (s: IdentitySecrets, issuer: string, subject: string): VerifiedKey => ({
    kind: 'oidc',
    hash: identityKey(s, identifier.oidc(issuer, subject)),
  }),
  ci: (s: IdentitySecrets, ci: string): VerifiedKey => ({
    kind: 'ci',
    hash: identityKey(s, identifier.ci(ci)),
  }),
};

/** A lookup hash of a phone number or address alone (cooldowns, an SMS sender's own applications). */
export function contactHash(s: IdentitySecrets, e164OrEmail: string): string {
  return hmac(s.identityPepper, `contact\u0000${e164OrEmail}`);
}

/** Keyed so a leaked table does not give the code away by trying the million possibilities. */
export function codeHash(s: IdentitySecrets, challengeId: string, code: string): string {
  return hmac(s.identityPepper, `otp\u0000${challengeId}\u0000${code}`);
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Sealed under DATA_KEY in the one format (src/crypto/seal.ts). */
export const encryptText = (s: IdentitySecrets, plain: string, aad = ''): string =>
  seal(s.dataKey, plain, aad);
export const decryptText = (s: IdentitySecrets, sealed: string, aad = ''): string =>
  open(s.dataKey, sealed, aad);
