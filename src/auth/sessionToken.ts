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
  const quick = acceptedAtOnce(secret, audience, token, now);
  if (quick) return quick as T;
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

// jose checks an HMAC through WebCrypto's asynchronous job: ~0.25 ms of CPU per token (profiles of `npm run
// simulate` and `npm run bench -- intake`), for a 3 us HMAC. The usual token (our own header, a good HS256
// signature, claims jose would accept) is accepted here at once, so nothing needs remembering (a memory of
// verified tokens kept every fresh one alive into the old generation: garbage collection at intake); anything
// else, and every refusal, is left to jose, so its verdict and its error stand.
const COMPACT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** the protected header signSessionToken writes, so the usual token's needs no parsing */
const OWN_HEADER = Buffer.from(JSON.stringify({ alg: ALG, typ: 'JWT' })).toString('base64url');

function jsonObjectOf(part: string): Record<string, unknown> | undefined {
  if (part.length % 4 === 1) return undefined; // not base64url at all: Buffer would decode it anyway
  try {
    const v: unknown = JSON.parse(utf8.decode(Buffer.from(part, 'base64url')));
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An HS256 compact JWS made with node's HMAC at once, for a token the service signs per request (an admission
 * at one's turn): the same bytes jose's SignJWT makes (header {alg, typ}, then the claims in the order given),
 * without WebCrypto's asynchronous job (~1.2 s of a 3,000-resident simulation's profile for 1,200 tokens).
 */
export function signHs256Now(secret: Uint8Array, claims: Record<string, unknown>): string {
  const head = Buffer.from(JSON.stringify({ alg: ALG, typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const mac = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${mac}`;
}

/**
 * A good HS256 token of `audience` checked at once (signature, header, issuer, audience, iat, exp, nbf), or
 * undefined: then jose decides, so every refusal and its error stay jose's.
 */
export function acceptedAtOnce(
  secret: Uint8Array,
  audience: string,
  token: string,
  now: Date,
): JWTPayload | undefined {
  const m = COMPACT.exec(token);
  if (!m) return undefined;
  if (m[1] !== OWN_HEADER) {
    const header = jsonObjectOf(m[1]!);
    if (header?.alg !== ALG || Object.hasOwn(header, 'crit')) return undefined;
  }
  const mac = createHmac('sha256', secret).update(`${m[1]}.${m[2]}`).digest();
  if (!timingSafeEqual(mac, Buffer.from(m[3]!, 'base64url'))) return undefined;
  const c = jsonObjectOf(m[2]!);
  const at = Math.floor(now.getTime() / 1000);
  if (!c || !Number.isFinite(at)) return undefined;
  for (const k of ['sub', 'jti', 'exp', 'iat', 'aud', 'iss']) if (!Object.hasOwn(c, k)) return undefined;
  const aud = c.aud;
  const audOk = typeof aud === 'string' ? aud === audience : Array.isArray(aud) && aud.includes(audience);
  if (c.iss !== ISSUER || !audOk || typeof c.iat !== 'number' || typeof c.exp !== 'number') return undefined;
  if (c.nbf !== undefined && (typeof c.nbf !== 'number' || c.nbf > at)) return undefined;
  return c.exp > at ? (c as JWTPayload) : undefined;
}
