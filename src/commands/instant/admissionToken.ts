// Admission tokens: short-lived jose HS256 tokens bound to one person and one sale, spent once (the jti is
// recorded on the person's place in the queue and cleared by the purchase that spends it).
import { errors, jwtVerify, SignJWT } from 'jose';
import { checkedClock, keyFor } from '../../auth/sessionToken.js';
import { DomainError } from '../../domain/errors.js';

const AUDIENCE = 'instant-admission';
const ISSUER = 'fair-allocation';

export interface Admission {
  sub: string;
  cid: string;
  jti: string;
  exp: number;
}

// An HMAC through jose costs ~15-60 us of CPU here (sign or verify), and at an opening
// every admitted person's looks signed their token again and their purchase verified it. The tokens a process signed
// are remembered (InstantContext.admissions), by admission and by text, until they expire: one signature an
// admission, and no verification of a token known to be ours (one from another instance is verified).
const SIGNED_MAX = 20_000;

/** The admission tokens this process signed: bounded, oldest forgotten first. */
export interface SignedAdmissions {
  byAdmission: Map<string, string>;
  byToken: Map<string, Admission>;
}

export function signedAdmissions(): SignedAdmissions {
  return { byAdmission: new Map(), byToken: new Map() };
}

const admissionKey = (a: Admission) => `${a.sub}\n${a.cid}\n${a.jti}\n${a.exp}`;

export async function signAdmission(
  secret: Uint8Array,
  a: Admission,
  now: Date,
  known?: SignedAdmissions,
): Promise<string> {
  const again = known?.byAdmission.get(admissionKey(a));
  if (again) return again;
  const token = await new SignJWT({ cid: a.cid })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(a.sub)
    .setJti(a.jti)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(a.exp)
    .sign(keyFor(secret));
  if (known) remember(known, a, token);
  return token;
}

function remember(known: SignedAdmissions, a: Admission, token: string): void {
  if (known.byToken.size >= SIGNED_MAX) {
    const [oldest, claims] = known.byToken.entries().next().value as [string, Admission];
    known.byToken.delete(oldest);
    known.byAdmission.delete(admissionKey(claims));
  }
  known.byAdmission.set(admissionKey(a), token);
  known.byToken.set(token, { sub: a.sub, cid: a.cid, jti: a.jti, exp: a.exp });
}

/** The token's claims, or `admission_invalid` for a forged, expired or foreign one. */
export async function verifyAdmission(
  secret: Uint8Array,
  token: string,
  expect: { sub: string; cid: string },
  now: Date,
  known?: SignedAdmissions,
): Promise<Admission> {
  checkedClock(now);
  const ours = known?.byToken.get(token);
  if (ours && now.getTime() < ours.exp * 1000 && ours.sub === expect.sub && ours.cid === expect.cid)
    return ours;
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), {
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
