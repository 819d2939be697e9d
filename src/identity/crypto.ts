// Keyed hashes and encryption for personal data: identity keys, code hashes, contact details at rest.
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { identifier } from '../domain/identity.js';
import { cryptoRandom } from './random.js';

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

const VERSION = 'v1';

/** AES-256-GCM, a fresh 96-bit nonce per value: "v1.<nonce>.<ciphertext>.<tag>" (base64url). */
export function encryptText(s: IdentitySecrets, plain: string, aad = ''): string {
  // from the pooled CSPRNG: a nonce is never reused either way, and one draw per value cost ~4 us
  const iv = cryptoRandom.bytes(12);
  const cipher = createCipheriv('aes-256-gcm', s.dataKey, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64url'),
    body.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

export function decryptText(s: IdentitySecrets, sealed: string, aad = ''): string {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== VERSION || !iv || body === undefined || !tag) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', s.dataKey, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
