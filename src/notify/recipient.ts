// Recipients are stored sealed (under DATA_KEY, src/crypto/seal.ts) and shown masked; the full value leaves
// only towards the provider. Message texts that carry a secret (a one-time code) are sealed the same way.
import { open, seal } from '../crypto/seal.js';

const RECIPIENT = 'message-recipient:v1';
const TEXT = 'message-text:v1';

/** `k` is DATA_KEY (config.secrets.dataKey), passed in by whoever holds the secrets. */
export const sealRecipient = (to: string, k: Uint8Array) => seal(k, to, RECIPIENT);
export const openRecipient = (sealed: string, k: Uint8Array) => open(k, sealed, RECIPIENT);

/** A message subject, body or HTML part that holds a code; opened only to send it, or on the development outbox. */
export const sealText = (text: string, k: Uint8Array) => seal(k, text, TEXT);
export const openText = (sealed: string, k: Uint8Array) => open(k, sealed, TEXT);

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
  // the country code (up to 3 characters) only while at least one digit before the last four stays hidden:
  // a short number ('+1234', a reply to a short code) would otherwise ask for a negative count of stars
  const keepHead = digits.startsWith('+') ? Math.min(3, digits.length - 5) : 0;
  return digits.slice(0, keepHead) + '*'.repeat(digits.length - keepHead - 4) + digits.slice(-4);
}
