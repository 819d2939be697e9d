// Resident sessions: a short-lived jose token in an HttpOnly cookie (pages) or the X-Resident-Token header (API).
// The header is not Authorization: Bearer, which belongs to staff tokens and refuses any other audience.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Applicant } from '../../commands/applyForCampaign.js';
import { DomainError } from '../../domain/errors.js';
import {
  RESIDENT_COOKIE,
  RESIDENT_SESSION_SECONDS,
  type ResidentClaims,
  type ResidentClaimsInput,
  signResidentToken,
  verifyResidentToken,
} from '../../identity/residentSession.js';
import type { AppDeps } from '../deps.js';
import { bodyOf } from '../validate.js';

export const RESIDENT_TOKEN_HEADER = 'x-resident-token';
const CSRF_COOKIE = 'resident_csrf';

export interface ResidentState {
  claims: ResidentClaims;
  viaCookie: boolean;
}

function secure(deps: AppDeps) {
  return deps.config.publicUrl.startsWith('https:');
}

export async function startResidentSession(ctx: Context, deps: AppDeps, claims: ResidentClaimsInput) {
  const token = await signResidentToken(deps.config.secrets.sessionSecret, claims, deps.clock.now());
  ctx.cookies.set(RESIDENT_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secure(deps),
    maxAge: RESIDENT_SESSION_SECONDS * 1000,
    path: '/',
  });
  return token;
}

export function endResidentSession(ctx: Context) {
  ctx.cookies.set(RESIDENT_COOKIE, null, { path: '/' });
}

/**
 * Signs the resident out for good: the session's token (the header's, or the cookie's) is refused from now on in
 * every process, not only forgotten by this browser, and the cookie goes. A header token that is not valid is
 * refused (401) with nothing changed; one already signed out signs out again (a retried sign-out is no fault); a
 * stale cookie is just dropped.
 */
export async function signOutResident(ctx: Context, deps: AppDeps): Promise<void> {
  const header = ctx.get(RESIDENT_TOKEN_HEADER);
  const token = header || ctx.cookies.get(RESIDENT_COOKIE);
  let session: { jti: string; exp: number } | undefined;
  if (token) {
    try {
      const c = await verifyResidentToken(deps.config.secrets.sessionSecret, token, deps.clock.now());
      session = { jti: c.jti, exp: c.exp as number }; // exp is a required claim
    } catch (err) {
      if (header) throw err;
    }
  }
  if (session) await deps.residentSignOuts.signOut(deps, session);
  endResidentSession(ctx);
}

/**
 * What every page's header needs to offer a resident (or a helper) the sign-out: whether a session cookie came
 * (it lives as long as its token, so one still sent is a session still good, bar a changed secret; a page that
 * read it and found it stale says so in ctx.state.resident), and the sign-out form's CSRF token, worked out only
 * when a page asks for it.
 */
export function residentPageState(deps: AppDeps) {
  return async (ctx: Context, next: Next) => {
    if (ctx.cookies.get(RESIDENT_COOKIE)) ctx.state.residentCsrf = () => residentCsrfToken(ctx, deps);
    await next();
  };
}

/** The claims of a resident token that is valid and was not signed out (`invalid_token` otherwise). */
export async function residentOfToken(deps: AppDeps, token: string): Promise<ResidentClaims> {
  const claims = await verifyResidentToken(deps.config.secrets.sessionSecret, token, deps.clock.now());
  if (await deps.residentSignOuts.isSignedOut(deps, claims.jti))
    throw new DomainError('invalid_token', 'This session was signed out; verify again');
  return claims;
}

/** The resident's session if any; an API caller with a bad token gets 401, a stale cookie is just dropped. */
export async function readResident(ctx: Context, deps: AppDeps): Promise<ResidentState | undefined> {
  if (ctx.state.resident !== undefined) return ctx.state.resident || undefined;
  const header = ctx.get(RESIDENT_TOKEN_HEADER);
  const cookie = ctx.cookies.get(RESIDENT_COOKIE);
  const token = header || cookie;
  let state: ResidentState | undefined;
  if (token) {
    try {
      state = { claims: await residentOfToken(deps, token), viaCookie: !header };
    } catch (err) {
      if (header) throw err;
      endResidentSession(ctx);
    }
  }
  ctx.state.resident = state ?? false;
  return state;
}

/** A token for resident forms: HMAC of a random per-browser cookie (signed double submit). */
export function residentCsrfToken(ctx: Context, deps: AppDeps): string {
  // One seed a request: a page with two resident forms (its own and the header's sign-out) made two seeds when the
  // browser had none, and the form whose seed's cookie the other overwrote was refused.
  let seed = (ctx.state.residentCsrfSeed as string | undefined) ?? ctx.cookies.get(CSRF_COOKIE);
  if (!seed || !/^[A-Za-z0-9_-]{22,64}$/.test(seed)) {
    seed = randomBytes(18).toString('base64url');
    ctx.cookies.set(CSRF_COOKIE, seed, { httpOnly: true, sameSite: 'lax', secure: secure(deps), path: '/' });
  }
  ctx.state.residentCsrfSeed = seed;
  return createHmac('sha256', deps.config.secrets.sessionSecret)
    .update(`resident-csrf:${seed}`)
    .digest('base64url');
}

/** Refuses a cookie-borne unsafe request whose form or header lacks the CSRF token. */
export function checkResidentCsrf(ctx: Context, deps: AppDeps): void {
  if (ctx.get(RESIDENT_TOKEN_HEADER)) return; // a header cannot be set by another site's form
  const seed = ctx.cookies.get(CSRF_COOKIE);
  const body = bodyOf(ctx);
  const sent = ctx.get('x-csrf-token') || (typeof body._csrf === 'string' ? body._csrf : '');
  const expected = seed
    ? createHmac('sha256', deps.config.secrets.sessionSecret)
        .update(`resident-csrf:${seed}`)
        .digest('base64url')
    : '';
  const ok =
    expected !== '' &&
    sent.length === expected.length &&
    timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
  if (!ok) throw new DomainError('csrf_failed', 'The form has expired; reload the page and try again');
}

export function requireResident(deps: AppDeps) {
  return async (ctx: Context, next: Next) => {
    const r = await readResident(ctx, deps);
    if (!r) throw new DomainError('unauthenticated', 'Verify who you are first');
    await next();
  };
}

/** The applicant a resident's session speaks for: what the intake commands record on the application. */
export function applicantOf(c: ResidentClaims): Applicant {
  return {
    identity_id: c.sub,
    method: c.m,
    birth_date: c.bd,
    // sessions signed before provenance was recorded carry a typed date
    birth_date_source: c.bs ?? (c.bd ? 'declared' : null),
    contact_channel: c.cc,
    contact_enc: c.ce,
    lang: c.lang,
  };
}
