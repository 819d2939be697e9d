// Admission tokens: short-lived jose HS256 tokens bound to one person and one sale, spent once (the jti is
// recorded on the person's place in the queue and cleared by the purchase that spends it).
import { errors, jwtVerify, SignJWT } from 'jose';
import { keyFor } from '../../auth/sessionToken.js';
import { DomainError } from '../../domain/errors.js';

const AUDIENCE = 'instant-admission';
const ISSUER = 'fair-allocation';

export interface Admission {
  sub: string;
  cid: string;
  jti: string;
  exp: number;
}

export async function signAdmission(secret: Uint8Array, a: Admission, now: Date): Promise<string> {
  return new SignJWT({ cid: a.cid })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(a.sub)
    .setJti(a.jti)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(a.exp)
    .sign(await keyFor(secret));
}

/** The token's claims, or `admission_invalid` for a forged, expired or foreign one. */
export async function verifyAdmission(
  secret: Uint8Array,
  token: string,
  expect: { sub: string; cid: string },
  now: Date,
): Promise<Admission> {
  try {
    const { payload } = await jwtVerify(token, await keyFor(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: now,
      requiredClaims: ['sub', 'jti', 'exp', 'cid'],
    });
    if (payload.sub !== expect.sub || payload.cid !== expect.cid) throw new Error('not this person or sale');
    return payload as unknown as Admission;
  } catch (err) {
    const expired = err instanceof errors.JWTExpired;
    throw new DomainError(
      'admission_invalid',
      expired
        ? 'Your turn has passed; rejoin the queue page to see what is left'
        : 'This admission is not valid',
    );
  }
}
