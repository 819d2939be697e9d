// Staff authentication (cookie or bearer token) and role checks, applied on every staff route.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { type TokenClaims, verifySessionToken } from '../../auth/sessionToken.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/knex.js';
import { findStaffById, type StaffRole } from '../../db/repos/staff.js';
import { DomainError } from '../../domain/errors.js';

export const STAFF_COOKIE = 'staff_session';
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

/** Reads the staff session if there is one; never refuses (pages use it to show a sign-in link). */
export function loadStaff(deps: { db: Db; clock: Clock; sessionSecret: Uint8Array }) {
  return async (ctx: Context, next: Next) => {
    const found = tokenFrom(ctx);
    if (found) {
      const claims = await verifySessionToken<StaffClaims>(
        deps.sessionSecret,
        STAFF_AUDIENCE,
        found.token,
        deps.clock.now(),
      ).catch((err) => {
        // A stale cookie on a page is not an error: the visitor is simply signed out.
        if (found.viaCookie) {
          ctx.cookies.set(STAFF_COOKIE, null);
          return undefined;
        }
        throw err;
      });
      const staff = claims ? await findStaffById(deps.db, claims.sub) : undefined;
      if (claims && staff && !staff.disabled_at) {
        ctx.state.staff = {
          id: staff.id,
          role: staff.role,
          site_id: staff.site_id,
          email: staff.email,
          jti: claims.jti,
          viaCookie: found.viaCookie,
        } satisfies StaffSession;
        ctx.state.csrfToken = csrfTokenFor(deps.sessionSecret, claims.jti);
      } else if (claims && !found.viaCookie) {
        throw new DomainError('invalid_token', 'The session token is not valid');
      }
    }
    await next();
  };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses anonymous (401) and wrong-role (403) requests, and cookie requests without the CSRF token. */
export function requireStaff(...roles: StaffRole[]) {
  return async (ctx: Context, next: Next) => {
    const staff = ctx.state.staff as StaffSession | undefined;
    if (!staff) throw new DomainError('unauthenticated', 'Sign in as staff to continue');
    if (!roles.includes(staff.role)) throw new DomainError('forbidden', 'Your role does not allow this');
    if (staff.viaCookie && !SAFE.has(ctx.method)) {
      const body = ctx.request.body as Record<string, unknown> | undefined;
      const sent = ctx.get('x-csrf-token') || (typeof body?._csrf === 'string' ? body._csrf : '');
      const expected = ctx.state.csrfToken as string;
      const ok = sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
      if (!ok) throw new DomainError('csrf_failed', 'The form has expired; reload the page and try again');
    }
    await next();
  };
}
