// requireStaff for HTML pages: an anonymous browser is sent to the sign-in page instead of getting a bare 401.
// Wrong roles still get 403 (rendered as the error page) and cookie forms still need their CSRF token.
import type { Context, Next } from 'koa';
import type { StaffRole } from '../../db/repos/staff.js';
import { wantsJson } from '../errors.js';
import { requireStaff } from './staffAuth.js';

export const STAFF_LOGIN_PATH = '/staff/login';

export function requireStaffPage(...roles: StaffRole[]) {
  const guard = requireStaff(...roles);
  return async (ctx: Context, next: Next) => {
    if (!ctx.state.staff && !wantsJson(ctx)) {
      ctx.status = 303;
      ctx.redirect(STAFF_LOGIN_PATH);
      return;
    }
    await guard(ctx, next);
  };
}
