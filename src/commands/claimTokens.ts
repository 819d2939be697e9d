// Claim tokens: the QR a winner shows is a compact JWS (ES256) over what the counter must see, so a counter
// page that holds the public key can check it with no connection. The typed claim code (claimCodes.ts) stays
// the online path. The private key is a P-256 scalar from CLAIM_SIGNING_KEY; the public half is served as a
// JWKS at /api/claim-keys.json and embedded in the counter page.
import { createECDH, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK, jwtVerify, SignJWT } from 'jose';
import type { CounterCheck } from '../domain/facts.js';

/** The header type of a claim token: a token of another kind signed with the same key is refused. */
export const CLAIM_TOKEN_TYPE = 'fa-claim+jwt';

/** What a claim token says: enough for a counter to check and hand over without asking the server. */
export interface ClaimFacts {
  campaign_id: string;
  public_id: string;
  /** '' for a voucher */
  site: string;
  /** '' when passed down after every slot of the site had passed */
  slot: string;
  amount: number;
  unit: 'KRW' | 'item';
  /** when the slot starts (or the claim window opens), and the claim deadline */
  from: Date;
  deadline: Date;
  /** what the counter checks (counterFacts.ts): the birth year against an ID card, the group's proof */
  checks: CounterCheck[];
}

export interface ClaimSigner {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JWK;
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** The signer for a 32-byte P-256 private scalar (any value below the curve order; random bytes always are in practice). */
export async function claimSignerFrom(scalar: Uint8Array): Promise<ClaimSigner> {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(scalar));
  const point = ecdh.getPublicKey(); // 0x04 || x || y
  const pub = { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) };
  const kid = (await calculateJwkThumbprint(pub)).slice(0, 16);
  const privateKey = createPrivateKey({ key: { ...pub, d: b64u(scalar) }, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  return { kid, privateKey, publicKey, publicJwk: { ...pub, kid, alg: 'ES256', use: 'sig' } };
}

const signers = new WeakMap<Uint8Array, Promise<ClaimSigner>>();

/** One signer per key for the process's life (deriving the point costs a scalar multiplication). */
export function claimSigner(secrets: { claimSigningKey: Uint8Array }): Promise<ClaimSigner> {
  let s = signers.get(secrets.claimSigningKey);
  if (!s) {
    s = claimSignerFrom(secrets.claimSigningKey);
    signers.set(secrets.claimSigningKey, s);
  }
  return s;
}

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

/** The signed token carried by a winner's QR code. Short claim names keep the QR small enough for a cheap camera. */
export async function signClaimToken(signer: ClaimSigner, f: ClaimFacts, now: Date): Promise<string> {
  return new SignJWT({
    c: f.campaign_id,
    p: f.public_id,
    s: f.site,
    t: f.slot,
    a: f.amount,
    u: f.unit,
    f: epoch(f.from),
    k: f.checks,
  })
    .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: CLAIM_TOKEN_TYPE })
    .setIssuedAt(epoch(now))
    .setExpirationTime(epoch(f.deadline))
    .sign(signer.privateKey);
}

/** A compact JWS: three base64url parts. Anything else the counter is given is a typed claim code. */
export const looksLikeClaimToken = (s: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(s.trim());

export type ClaimTokenCheck =
  | { ok: true; facts: ClaimFacts }
  | { ok: false; reason: 'invalid' | 'expired'; facts?: ClaimFacts };

function factsOf(p: Record<string, unknown>): ClaimFacts | undefined {
  if (typeof p.c !== 'string' || typeof p.p !== 'string' || typeof p.exp !== 'number') return undefined;
  return {
    campaign_id: p.c,
    public_id: p.p,
    site: String(p.s ?? ''),
    slot: String(p.t ?? ''),
    amount: Number(p.a),
    unit: p.u === 'KRW' ? 'KRW' : 'item',
    from: new Date(Number(p.f) * 1000),
    deadline: new Date(p.exp * 1000),
    checks: Array.isArray(p.k) ? (p.k as CounterCheck[]) : [],
  };
}

/** Verifies a claim token's signature, type and expiry at `now`. */
export async function verifyClaimToken(
  signer: ClaimSigner,
  token: string,
  now: Date,
): Promise<ClaimTokenCheck> {
  try {
    const { payload } = await jwtVerify(token.trim(), signer.publicKey, {
      algorithms: ['ES256'],
      typ: CLAIM_TOKEN_TYPE,
      currentDate: now,
    });
    const facts = factsOf(payload);
    return facts ? { ok: true, facts } : { ok: false, reason: 'invalid' };
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_JWT_EXPIRED') {
      const payload = (err as { payload?: Record<string, unknown> }).payload;
      const facts = payload ? factsOf(payload) : undefined;
      return { ok: false, reason: 'expired', ...(facts ? { facts } : {}) };
    }
    return { ok: false, reason: 'invalid' };
  }
}
