// Staff authentication (cookie or bearer token) and role checks, applied on every staff route.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { type TokenClaims, verifySessionToken } from '../../auth/sessionToken.js';
import type { Clock } from '../../clock.js';
import type { Actor } from '../../commands/context.js';
import type { CheckedSessions } from '../../commands/staffSessionCheck.js';
import type { Db } from '../../db/knex.js';
import type { StaffRole } from '../../db/repos/staff.js';
import { DomainError } from '../../domain/errors.js';
import { bodyOf } from '../validate.js';

export const STAFF_COOKIE = 'staff_session';
/** session ids are the token's jti, a UUID (staff_sessions.id) */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const STAFF_AUDIENCE = 'staff';
export const STAFF_SESSION_SECONDS = 8 * 3600;

export interface StaffSession {
  id: string;
  role: StaffRole;
  site_id: string | null;
  email: string;
  jti: string;
  /** true when the token came from a cookie, so unsafe requests need a CSRF token */
  viaCookie: boolean;
}

/** The signed-in staff member as the actor a command records in the audit log. */
export const staffActor = (s: StaffSession): Actor => ({ kind: 'staff', id: s.id });

export interface StaffClaims extends TokenClaims {
  role: StaffRole;
}

export function csrfTokenFor(secret: Uint8Array, jti: string): string {
  return createHmac('sha256', secret).update(`csrf:${jti}`).digest('base64url');
}

function tokenFrom(ctx: Context): { token: string; viaCookie: boolean } | undefined {
  const header = ctx.get('authorization');
  if (header.startsWith('Bearer ')) return { token: header.slice(7).trim(), viaCookie: false };
  const cookie = ctx.cookies.get(STAFF_COOKIE);
  return cookie ? { token: cookie, viaCookie: true } : undefined;
}

/** The live session behind a staff token, or undefined (forged, expired, signed out or of a disabled account). */
export async function staffSessionOf(
  deps: { db: Db; clock: Clock; sessionSecret: Uint8Array; sessions: CheckedSessions },
  token: string,
  viaCookie: boolean,
): Promise<StaffSession | undefined> {
  const now = deps.clock.now();
  const claims = await verifySessionToken<StaffClaims>(deps.sessionSecret, STAFF_AUDIENCE, token, now).catch(
    () => undefined,
  );
  const staff = claims && UUID.test(claims.jti) ? await deps.sessions.staffOf(deps, claims.jti) : undefined;
  if (!claims || !staff || staff.id !== claims.sub) return undefined;
  return {
    id: staff.id,
    role: staff.role,
    site_id: staff.site_id,
    email: staff.email,
    jti: claims.jti,
    viaCookie,
  };
}

/**
 * Reads the staff session if there is one; never refuses, so a public page ignores a stale cookie or a bad
 * bearer token (staff routes then refuse with `invalid_token`). The session row is checked at most once a
 * second per session (staffSessionCheck.ts): one primary-key lookup joined to the staff row. The CSRF token
 * (an HMAC) is worked out when a page or the check asks for it, not on every request.
 */
export function loadStaff(deps: Parameters<typeof staffSessionOf>[0]) {
  return async (ctx: Context, next: Next) => {
    const found = tokenFrom(ctx);
    if (found) {
      const session = await staffSessionOf(deps, found.token, found.viaCookie);
      if (session) {
        ctx.state.staff = session;
        let csrf: string | undefined;
        Object.defineProperty(ctx.state, 'csrfToken', {
          get: () => {
            csrf ??= csrfTokenFor(deps.sessionSecret, session.jti);
            return csrf;
          },
          enumerable: true,
          configurable: true,
        });
      } else if (found.viaCookie) {
        // A stale cookie is not an error: the visitor is simply signed out.
        ctx.cookies.set(STAFF_COOKIE, null);
      } else {
        ctx.state.staffTokenRefused = true;
      }
    }
    await next();
  };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses a cookie-borne unsafe request whose form or X-CSRF-Token header lacks the session's CSRF token. */
export function checkStaffCsrf(ctx: Context): void {
  const staff = ctx.state.staff as StaffSession | undefined;
  if (!staff?.viaCookie || SAFE.has(ctx.method)) return;
  const body = bodyOf(ctx);
  const sent = ctx.get('x-csrf-token') || (typeof body._csrf === 'string' ? body._csrf : '');
  const expected = ctx.state.csrfToken as string;
  const ok = sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
  if (!ok) throw new DomainError('csrf_failed', 'The form has expired; reload the page and try again');
}

/** Refuses anonymous (401) and wrong-role (403) requests, and cookie requests without the CSRF token. */
export function requireStaff(...roles: StaffRole[]) {
  return async (ctx: Context, next: Next) => {
    admitStaff(ctx.state.staff as StaffSession | undefined, Boolean(ctx.state.staffTokenRefused), roles);
    checkStaffCsrf(ctx);
    await next();
  };
}

/** The session if one of `roles` holds it: 401 without one (invalid_token for a refused token), 403 otherwise. */
export function admitStaff(
  staff: StaffSession | undefined,
  tokenRefused: boolean,
  roles: StaffRole[],
): StaffSession {
  if (!staff && tokenRefused) {
    throw new DomainError('invalid_token', 'The session token is not valid or was signed out');
  }
  if (!staff) throw new DomainError('unauthenticated', 'Sign in as staff to continue');
  if (!roles.includes(staff.role)) throw new DomainError('forbidden', 'Your role does not allow this');
  return staff;
}
