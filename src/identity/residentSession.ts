// Resident sessions: jose HS256 tokens with their own audiences, so a resident token never opens a staff route.

import { signSessionToken, type TokenClaims, verifySessionToken } from '../auth/sessionToken.js';
import type { VerificationMethod } from '../domain/campaign.js';
import type { BirthDateSource } from '../domain/facts.js';

export const RESIDENT_AUDIENCE = 'resident';
/** a helper's proof that they verified the person they apply for; bound to the helper */
export const SUBJECT_AUDIENCE = 'resident-subject';
export const RESIDENT_COOKIE = 'resident_session';
/** short-lived: enough to fill in the form on a slow phone, then verify again */
export const RESIDENT_SESSION_SECONDS = 30 * 60;
export const SUBJECT_TOKEN_SECONDS = 10 * 60;

/** What a resident token says about the person, besides the token's own claims. */
interface ResidentFields {
  /** how the person proved who they are */
  m: VerificationMethod;
  /** birth date YYYY-MM-DD when known, and where it came from */
  bd: string | null;
  bs: BirthDateSource | null;
  /** where receipts go, and the AES-GCM sealed address (so applying needs no extra read) */
  cc: 'sms' | 'email' | null;
  ce: string | null;
  lang: 'ko' | 'en';
  /** on a subject token: the helper's identity id */
  by?: string;
  /** on a subject token: the helped person's masked contact, shown to the helper */
  to?: string;
}

export interface ResidentClaims extends TokenClaims, ResidentFields {}

export interface ResidentClaimsInput extends ResidentFields {
  sub: string;
}

export async function signResidentToken(
  secret: Uint8Array,
  claims: ResidentClaimsInput,
  now: Date,
  audience = RESIDENT_AUDIENCE,
): Promise<string> {
  const ttl = audience === SUBJECT_AUDIENCE ? SUBJECT_TOKEN_SECONDS : RESIDENT_SESSION_SECONDS;
  return signSessionToken(secret, audience, { ...claims }, now, ttl);
}

export async function verifyResidentToken(
  secret: Uint8Array,
  token: string,
  now: Date,
  audience = RESIDENT_AUDIENCE,
): Promise<ResidentClaims> {
  return verifySessionToken<ResidentClaims>(secret, audience, token, now);
}
