// Session tokens signed with jose: HS256 pinned, issuer, audience and expiry always checked.
import { randomUUID } from 'node:crypto';
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { DomainError } from '../domain/errors.js';

export const ISSUER = 'fair-allocation';
const ALG = 'HS256';

// jose imports a raw Uint8Array secret as a WebCrypto key on every call; on the intake path that was ~10 % of
// the service's CPU (V8 profile of `npm run bench -- intake`). Each secret is imported once (HS256 only).
const imported = new WeakMap<Uint8Array, Promise<CryptoKey>>();
export function keyFor(secret: Uint8Array): Promise<CryptoKey> {
  let key = imported.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', Buffer.from(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    imported.set(secret, key);
  }
  return key;
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
    .sign(await keyFor(secret));
}

export async function verifySessionToken<T extends TokenClaims>(
  secret: Uint8Array,
  audience: string,
  token: string,
  now: Date,
): Promise<T> {
  try {
    const { payload } = await jwtVerify(token, await keyFor(secret), {
      algorithms: [ALG],
      issuer: ISSUER,
      audience,
      currentDate: now,
      requiredClaims: ['sub', 'jti', 'exp', 'iat'],
    });
    return payload as T;
  } catch (err) {
    const expired = err instanceof errors.JWTExpired;
    throw new DomainError(
      'invalid_token',
      expired ? 'Your session has expired; sign in again' : 'The session token is not valid',
    );
  }
}
