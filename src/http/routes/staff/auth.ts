// Staff sign-in and sign-out: a password form, a one-time link, and the same as JSON for API clients; a
// password change and disabling an account, both of which end the account's open sessions.
import type Router from '@koa/router';
import { decodeJwt } from 'jose';
import type { Context } from 'koa';
import { signSessionToken } from '../../../auth/sessionToken.js';
import {
  closeStaffSession,
  disableStaff,
  openStaffSession,
  setStaffPassword,
  signInWithLink,
  signInWithPassword,
} from '../../../commands/staffAccounts.js';
import type { Staff } from '../../../db/repos/staff.js';
import { DomainError } from '../../../domain/errors.js';
import { clientIp } from '../../clientIp.js';
import type { AppDeps } from '../../deps.js';
import { STATUS } from '../../errors.js';
import {
  checkStaffCsrf,
  csrfTokenFor,
  requireStaff,
  STAFF_AUDIENCE,
  STAFF_COOKIE,
  STAFF_SESSION_SECONDS,
  type StaffSession,
} from '../../middleware/staffAuth.js';
import { render } from '../../render.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import { credentialsSchema, passwordChangeSchema } from './schema.js';

export function homeFor(staff: Pick<Staff, 'role'>): string {
  if (staff.role === 'site_staff') return '/counter';
  return staff.role === 'auditor' ? '/admin/audit' : '/admin';
}

export function staffAuthRoutes(router: Router, deps: AppDeps): void {
  const cmd = { db: deps.db, clock: deps.clock, staffSessions: deps.staffSessions };
  const signIn = (ctx: Context, c: { email: string; password: string }) =>
    signInWithPassword(cmd, deps.signIn, { ...c, ip: clientIp(ctx) });

  async function startSession(ctx: Context, staff: Staff) {
    const now = deps.clock.now();
    const token = await signSessionToken(
      deps.config.secrets.sessionSecret,
      STAFF_AUDIENCE,
      { sub: staff.id, role: staff.role },
      now,
      STAFF_SESSION_SECONDS,
    );
    const { jti } = decodeJwt(token) as { jti: string }; // our own freshly signed token
    await openStaffSession(cmd, {
      id: jti,
      staff_id: staff.id,
      expires_at: new Date(now.getTime() + STAFF_SESSION_SECONDS * 1000),
    });
    ctx.cookies.set(STAFF_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.config.publicUrl.startsWith('https:'),
      maxAge: STAFF_SESSION_SECONDS * 1000,
      path: '/',
    });
    return { token, jti };
  }

  router.post('/api/staff/session', async (ctx) => {
    const { email, password } = parse(credentialsSchema, ctx.request.body);
    const staff = await signIn(ctx, { email, password });
    const { token, jti } = await startSession(ctx, staff);
    ctx.body = {
      token,
      csrf_token: csrfTokenFor(deps.config.secrets.sessionSecret, jti),
      staff: { id: staff.id, email: staff.email, role: staff.role, site_id: staff.site_id },
    };
  });

  router.get('/api/staff/session', async (ctx) => {
    const staff = ctx.state.staff as StaffSession | undefined;
    if (!staff) throw new DomainError('unauthenticated', 'Not signed in');
    const { jti: _jti, viaCookie: _v, ...who } = staff;
    ctx.body = { staff: who, csrf_token: ctx.state.csrfToken };
  });

  router.get('/staff/login', (ctx) => {
    render(ctx, 'staff-login', { email: '', error: '' });
  });

  router.post('/staff/login', async (ctx) => {
    const body = bodyOf(ctx) as Record<string, string>;
    try {
      const { email, password } = parse(credentialsSchema, body);
      const staff = await signIn(ctx, { email, password });
      await startSession(ctx, staff);
      ctx.redirect(homeFor(staff));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const t = ctx.state.t as (k: string) => string;
      const status = STATUS[err.code];
      if (typeof err.details?.retry_after === 'number')
        ctx.set('Retry-After', String(err.details.retry_after));
      render(ctx, 'staff-login', { email: body.email ?? '', error: t(`errors.${err.code}`) }, status);
    }
  });

  router.get('/staff/login/:token', async (ctx) => {
    const staff = await signInWithLink(cmd, String(ctx.params.token));
    await startSession(ctx, staff);
    ctx.redirect(homeFor(staff));
  });

  /** Signing out ends the session itself (the token stops working everywhere), not just the cookie. */
  async function endSession(ctx: Context) {
    const staff = ctx.state.staff as StaffSession | undefined;
    if (staff) {
      checkStaffCsrf(ctx);
      await closeStaffSession(cmd, staff.jti);
    }
    ctx.cookies.set(STAFF_COOKIE, null);
  }

  router.post('/staff/logout', async (ctx) => {
    await endSession(ctx);
    ctx.redirect('/staff/login');
  });

  router.delete('/api/staff/session', async (ctx) => {
    await endSession(ctx);
    ctx.status = 204;
  });

  router.post('/api/staff/password', requireStaff('admin', 'site_staff', 'auditor'), async (ctx) => {
    const b = parse(passwordChangeSchema, ctx.request.body);
    const me = ctx.state.staff as StaffSession;
    await signIn(ctx, { email: me.email, password: b.current_password });
    await setStaffPassword(cmd, { kind: 'staff', id: me.id }, me.id, b.new_password);
    ctx.cookies.set(STAFF_COOKIE, null);
    ctx.status = 204;
  });

  router.post('/api/admin/staff/:id/disable', requireStaff('admin'), async (ctx) => {
    const me = ctx.state.staff as StaffSession;
    const id = parseId(ctx.params.id, 'staff member');
    if (id === me.id) throw new DomainError('conflict', 'You cannot disable your own account');
    await disableStaff(cmd, { kind: 'staff', id: me.id }, id);
    ctx.status = 204;
  });
}
