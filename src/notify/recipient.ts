// Recipients are stored sealed (AES-256-GCM under DATA_KEY) and shown masked; the full value leaves only towards
// the provider. Message texts that carry a secret (a one-time code) are sealed the same way.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { cryptoRandom } from '../identity/random.js';

const RECIPIENT = Buffer.from('message-recipient:v1');
const TEXT = Buffer.from('message-text:v1');

function seal(plain: string, k: Uint8Array, aad: Buffer): string {
  const iv = cryptoRandom.bytes(12); // pooled, as identity/crypto.ts
  const cipher = createCipheriv('aes-256-gcm', k, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function open(sealed: string, k: Uint8Array, aad: Buffer): string {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', k, raw.subarray(0, 12));
  decipher.setAAD(aad);
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** `k` is DATA_KEY (config.secrets.dataKey), passed in by whoever holds the secrets. */
export const sealRecipient = (to: string, k: Uint8Array) => seal(to, k, RECIPIENT);
export const openRecipient = (sealed: string, k: Uint8Array) => open(sealed, k, RECIPIENT);

/** A message subject, body or HTML part that holds a code; opened only to send it, or on the development outbox. */
export const sealText = (text: string, k: Uint8Array) => seal(text, k, TEXT);
export const openText = (sealed: string, k: Uint8Array) => open(sealed, k, TEXT);

/** A message's subject, body and HTML part as stored, opened when `sealed`. */
export function openedTexts<
  T extends { sealed?: boolean; subject?: string | null; body: string; html?: string | null },
>(m: T, k: Uint8Array): T {
  if (!m.sealed) return m;
  const opened = { ...m, body: openText(m.body, k) };
  if (m.subject) opened.subject = openText(m.subject, k);
  if (m.html) opened.html = openText(m.html, k);
  return opened;
}

/** +821012345678 -> +82******5678; jisoo.kim@example.org -> j***@example.org */
export function maskRecipient(to: string): string {
  const at = to.lastIndexOf('@');
  if (at > 0) return `${to[0]}***${to.slice(at)}`;
  const digits = to.replace(/[^\d+]/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  const keepHead = digits.startsWith('+') ? 3 : 0;
  return digits.slice(0, keepHead) + '*'.repeat(digits.length - keepHead - 4) + digits.slice(-4);
}
