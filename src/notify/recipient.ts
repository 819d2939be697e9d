// Recipients are stored sealed (AES-256-GCM under DATA_KEY) and shown masked; the full value leaves only towards the provider.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const AAD = Buffer.from('message-recipient:v1');

/** `k` is DATA_KEY (config.secrets.dataKey), passed in by whoever holds the secrets. */
export function sealRecipient(to: string, k: Uint8Array): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', k, iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(to, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function openRecipient(sealed: string, k: Uint8Array): string {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', k, raw.subarray(0, 12));
  decipher.setAAD(AAD);
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
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
