// The one sealed format for everything at rest under DATA_KEY (contacts, birth dates, operator secrets, claim
// keys, message recipients and code-bearing texts): AES-256-GCM, a fresh 96-bit nonce per value, bound to what
// it is by its associated data, written "v1.<nonce>.<ciphertext>.<tag>" (base64url).
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { cryptoRandom } from './random.js';

const VERSION = 'v1';

export function seal(key: Uint8Array, plain: string, aad = ''): string {
  // from the pooled CSPRNG: a nonce is never reused either way, and one draw per value cost ~4 us
  const iv = cryptoRandom.bytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64url'),
    body.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

export function open(key: Uint8Array, sealed: string, aad = ''): string {
  if (!sealed.includes('.')) return openUnversioned(key, sealed, aad);
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== VERSION || !iv || body === undefined || !tag) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * Messages queued before the formats were one were sealed as base64url(nonce | tag | ciphertext), which never
 * holds a '.': they are still opened, so a message in the queue across the upgrade is still sent.
 */
function openUnversioned(key: Uint8Array, sealed: string, aad: string): string {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 28) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
