// Staff sign-in and sign-out: a password form, a one-time link, and the same as JSON for API clients.
import type Router from '@koa/router';
import { decodeJwt } from 'jose';
import type { Context } from 'koa';
import { z } from 'zod';
import { signSessionToken } from '../../../auth/sessionToken.js';
import { signInWithLink, signInWithPassword } from '../../../commands/staffAccounts.js';
import type { Staff } from '../../../db/repos/staff.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import {
  csrfTokenFor,
  STAFF_AUDIENCE,
  STAFF_COOKIE,
  STAFF_SESSION_SECONDS,
  type StaffSession,
} from '../../middleware/staffAuth.js';
import { render } from '../../render.js';
import { parse } from '../../validate.js';

const credentials = z.object({
  email: z.string().trim().email('Enter an email address'),
  password: z.string().min(1, 'Required').max(200),
});

export function homeFor(staff: Pick<Staff, 'role'>): string {
  return staff.role === 'auditor' ? '/admin/audit' : '/admin';
}

export function staffAuthRoutes(router: Router, deps: AppDeps): void {
  const cmd = { db: deps.db, clock: deps.clock };

  async function startSession(ctx: Context, staff: Staff) {
    const token = await signSessionToken(
      deps.config.secrets.sessionSecret,
      STAFF_AUDIENCE,
      { sub: staff.id, role: staff.role },
      deps.clock.now(),
      STAFF_SESSION_SECONDS,
    );
    ctx.cookies.set(STAFF_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.config.publicUrl.startsWith('https:'),
      maxAge: STAFF_SESSION_SECONDS * 1000,
      path: '/',
    });
    return token;
  }

  router.post('/api/staff/session', async (ctx) => {
    const { email, password } = parse(credentials, ctx.request.body);
    const staff = await signInWithPassword(cmd, email, password);
    const token = await startSession(ctx, staff);
    const { jti } = decodeJwt(token) as { jti: string }; // our own freshly signed token
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
    const body = (ctx.request.body ?? {}) as Record<string, string>;
    try {
      const { email, password } = parse(credentials, body);
      const staff = await signInWithPassword(cmd, email, password);
      await startSession(ctx, staff);
      ctx.redirect(homeFor(staff));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const t = ctx.state.t as (k: string) => string;
      render(ctx, 'staff-login', { email: body.email ?? '', error: t(`errors.${err.code}`) }, 401);
    }
  });

  router.get('/staff/login/:token', async (ctx) => {
    const staff = await signInWithLink(cmd, ctx.params.token ?? '');
    await startSession(ctx, staff);
    ctx.redirect(homeFor(staff));
  });

  router.post('/staff/logout', (ctx) => {
    ctx.cookies.set(STAFF_COOKIE, null);
    ctx.redirect('/staff/login');
  });
}
