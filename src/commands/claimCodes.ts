// Claim codes: HMAC(claim key, application id) in Crockford base32, 10 characters (50 bits). The key is
// 32 bytes from the passed-in random source, drawn with the results and stored sealed; codes themselves
// are never stored, so the fan-out, the promotion notice and a staff check all re-derive the same code.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { crockfordBase32 } from '../domain/crockford.js';

/** The claim key is sealed to its campaign. */
export const claimKeyAad = (campaignId: string) => `claim-key:${campaignId}`;

export function claimCodeFor(key: Uint8Array, applicationId: string): string {
  const mac = createHmac('sha256', key).update(`claim\u0000${applicationId}`).digest();
  const out = crockfordBase32(mac, 10); // 50 bits
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

/** What a person types, as the code: any case, with or without the dash, O for 0 and I/L for 1. */
export const normalClaimCode = (s: string) =>
  s.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');

export function sameClaimCode(expected: string, typed: string): boolean {
  const a = Buffer.from(normalClaimCode(expected));
  const b = Buffer.from(normalClaimCode(typed));
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The key the counter finds an award by (claim_codes.digest): keyed with the identity pepper, so a copy of
 * the table does not give the 50-bit codes away to a brute-force search.
 */
export function claimCodeDigest(secrets: { identityPepper: Uint8Array }, code: string): Buffer {
  return createHmac('sha256', secrets.identityPepper)
    .update(`claim-code\u0000${normalClaimCode(code)}`)
    .digest()
    .subarray(0, 16);
}
