// The staff member behind a session token, checked against the session row at most once a second per process
// and session: at a busy counter that row's round trip was one of four each press waited on behind the public's
// reads. Sign-out, a password change and disabling an account in this process forget what was checked at once
// (after their commit); a session revoked by another process stops working within STAFF_SESSION_RECHECK_MS.
// The memory is the web process's, made by its composition root (contexts.ts), not this module's.
import type { Clock } from '../clock.js';
import type { Db } from '../db/knex.js';
import type { Staff } from '../db/repos/staff.js';
import { findSessionStaff } from '../db/repos/staffSessions.js';

/** How long a checked session is taken as live without reading its row again (the revocation bound). */
export const STAFF_SESSION_RECHECK_MS = 1000;
const MAX_REMEMBERED = 10_000;

export interface CheckedSessions {
  /** The live session's staff member (undefined when revoked, expired or disabled, as of at most a second ago). */
  staffOf(ctx: { db: Db; clock: Clock }, sessionId: string): Promise<Staff | undefined>;
  /** Every checked session is read again on its next request (a revocation in this process just committed). */
  forget(): void;
}

export function createCheckedSessions(): CheckedSessions {
  const checked = new Map<string, { staff: Staff; until: number }>();
  return {
    async staffOf(ctx, sessionId) {
      const now = ctx.clock.now();
      const hit = checked.get(sessionId);
      if (hit && now.getTime() < hit.until) return hit.staff;
      checked.delete(sessionId);
      const staff = await findSessionStaff(ctx.db, sessionId, now);
      if (staff) {
        if (checked.size >= MAX_REMEMBERED) checked.delete(checked.keys().next().value as string);
        checked.set(sessionId, { staff, until: now.getTime() + STAFF_SESSION_RECHECK_MS });
      }
      return staff;
    },
    forget() {
      checked.clear();
    },
  };
}
