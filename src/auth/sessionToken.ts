// Session tokens signed with jose: HS256 pinned, issuer, audience and expiry always checked.
import { createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { DomainError } from '../domain/errors.js';

export const ISSUER = 'fair-allocation';
const ALG = 'HS256';

// Each secret becomes a node KeyObject once: jose's Node build then signs and checks HS256 with node:crypto's HMAC
// (jose 5; jose 6 goes through WebCrypto, ~4x the CPU a token here, the largest single cost of an instant sale's
// opening in the service's V8 profile).
const imported = new WeakMap<Uint8Array, KeyObject>();
export function keyFor(secret: Uint8Array): KeyObject {
  let key = imported.get(secret);
  if (!key) {
    key = createSecretKey(secret);
    imported.set(secret, key);
  }
  return key;
}

// A resident sends the same token with every request of a session; checking its HMAC through WebCrypto was
// ~0.25 ms of CPU each (a profile of `npm run simulate`), the largest single cost of a queue poll. A token
// whose signature and claims were checked stays good until its exp: remembered by its exact text, per secret
// and audience, a bounded number at a time (oldest forgotten first).
const VERIFIED_MAX = 20_000;
const verified = new WeakMap<Uint8Array, Map<string, JWTPayload>>();
function verifiedOf(secret: Uint8Array): Map<string, JWTPayload> {
  const m = verified.get(secret) ?? new Map<string, JWTPayload>();
  verified.set(secret, m);
  return m;
}
function remember(m: Map<string, JWTPayload>, key: string, payload: JWTPayload) {
  if (m.size >= VERIFIED_MAX) m.delete(m.keys().next().value as string);
  m.set(key, payload);
}

/** jose 5 takes an invalid date as "not expired" (NaN compares false): a broken clock must refuse, not accept. */
export function checkedClock(now: Date): void {
  if (!Number.isFinite(now.getTime())) throw new Error('the clock gave an invalid date');
}

export interface TokenClaims extends JWTPayload {
  sub: string;
  jti: string;
}

export async function signSessionToken(
  secret: Uint8Array,
  audience: string,
  claims: Record<string, unknown> & { sub: string },
  now: Date,
  ttlSeconds: number,
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setSubject(claims.sub)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(keyFor(secret));
}

export async function verifySessionToken<T extends TokenClaims>(
  secret: Uint8Array,
  audience: string,
  token: string,
  now: Date,
): Promise<T> {
  checkedClock(now);
  const known = verifiedOf(secret);
  const seen = known.get(`${audience}\n${token}`);
  if (seen && now.getTime() < (seen.exp as number) * 1000) return seen as T;
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), {
      algorithms: [ALG],
      issuer: ISSUER,
      audience,
      currentDate: now,
      requiredClaims: ['sub', 'jti', 'exp', 'iat'],
    });
    remember(known, `${audience}\n${token}`, payload);
    return payload as T;
  } catch (err) {
    const expired = err instanceof errors.JWTExpired;
    throw new DomainError(
      'invalid_token',
      expired ? 'Your session has expired; sign in again' : 'The session token is not valid',
    );
  }
}
