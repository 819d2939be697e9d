// Session tokens signed with jose: HS256 pinned, issuer, audience and expiry always checked.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
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

/** The protected header SignJWT writes for our tokens, as it appears in every token we sign. */
const OUR_HEADER = Buffer.from(JSON.stringify({ alg: ALG, typ: 'JWT' })).toString('base64url');
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The claims of a token in exactly the shape we sign, when it passes every check jwtVerify makes below;
 * undefined for anything else, which then goes to jose for its verdict. A token seen for the first time (every
 * application of `npm run bench -- intake` is another person) went through WebCrypto: ~60 us against ~5 us
 * for node:crypto's HMAC. It accepts only what jose accepts, and refuses nothing itself
 * (test/identity/session-token.test.ts).
 */
export function ourValidToken(
  secret: Uint8Array,
  audience: string,
  token: string,
  now: Date,
): TokenClaims | undefined {
  const [header, body, signature, extra] = token.split('.');
  if (header !== OUR_HEADER || !body || !signature || extra !== undefined || !BASE64URL.test(body)) return;
  const expected = createHmac('sha256', secret).update(`${header}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  // the canonical encoding only, as jose's strict decoder requires
  if (given.length !== expected.length || given.toString('base64url') !== signature) return;
  if (!timingSafeEqual(given, expected)) return;
  let claims: unknown;
  try {
    claims = JSON.parse(strictUtf8.decode(Buffer.from(body, 'base64url')));
  } catch {
    return;
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return;
  const c = claims as Record<string, unknown>;
  const epoch = Math.floor(now.getTime() / 1000);
  const hasAll = ['sub', 'jti', 'exp', 'iat', 'iss', 'aud'].every((k) => Object.hasOwn(c, k));
  const audOk = c.aud === audience || (Array.isArray(c.aud) && c.aud.includes(audience));
  if (!hasAll || c.iss !== ISSUER || !audOk || typeof c.iat !== 'number') return;
  if (typeof c.exp !== 'number' || c.exp <= epoch) return;
  if (c.nbf !== undefined && (typeof c.nbf !== 'number' || c.nbf > epoch)) return;
  return c as TokenClaims;
}

export async function verifySessionToken<T extends TokenClaims>(
  secret: Uint8Array,
  audience: string,
  token: string,
  now: Date,
): Promise<T> {
  const known = verifiedOf(secret);
  const seen = known.get(`${audience}\n${token}`);
  if (seen && now.getTime() < (seen.exp as number) * 1000) return seen as T;
  const fast = Number.isFinite(now.getTime()) ? ourValidToken(secret, audience, token, now) : undefined;
  if (fast) {
    remember(known, `${audience}\n${token}`, fast);
    return fast as T;
  }
  try {
    const { payload } = await jwtVerify(token, await keyFor(secret), {
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
