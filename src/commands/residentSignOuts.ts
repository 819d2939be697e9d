// Resident sessions signed out before they expire. A resident token is checked without a read (jose, then
// remembered until its expiry: the rush's fast path depends on it), so each web process keeps the ids of signed-out
// tokens in memory and reads the new ones from the database at most once a RESIDENT_SIGN_OUT_RECHECK_MS, when a
// token is checked: a sign-out holds at once in the process that took it and in every other within that bound.
// The memory is the web process's, made by its composition root (contexts.ts), not this module's.
import type { Clock } from '../clock.js';
import type { Db } from '../db/knex.js';
import { insertResidentSignOut, residentSignOutsSince } from '../db/repos/residentSignOuts.js';

/** How old this process's knowledge of sign-outs may be when a token is checked. */
export const RESIDENT_SIGN_OUT_RECHECK_MS = 1000;
/** Each read goes this far behind the newest sign-out seen: one committed late carries an earlier moment. */
const OVERLAP_MS = 10_000;

type Ctx = { db: Db; clock: Clock };

export interface SignedOutSessions {
  /** Whether the session with this token id was signed out (as of at most a second ago, elsewhere). */
  isSignedOut(ctx: Ctx, jti: string): Promise<boolean>;
  /** Ends the session for good: its token is refused from now on, here and in every process. */
  signOut(ctx: Ctx, session: { jti: string; exp: number }): Promise<void>;
}

export function createSignedOutSessions(): SignedOutSessions {
  const expiries = new Map<string, number>(); // token id → its expiry, ms
  let readAt = Number.NEGATIVE_INFINITY;
  let newest: number | undefined;
  let reading: Promise<void> | undefined;

  async function read(ctx: Ctx) {
    const now = ctx.clock.now();
    const since = new Date(newest === undefined ? 0 : newest - OVERLAP_MS);
    for (const s of await residentSignOutsSince(ctx.db, since, now)) {
      expiries.set(s.jti, s.expires_at.getTime());
      newest = Math.max(newest ?? 0, s.signed_out_at.getTime());
    }
    for (const [jti, exp] of expiries) if (exp <= now.getTime()) expiries.delete(jti);
    readAt = now.getTime();
  }

  return {
    async isSignedOut(ctx, jti) {
      if (ctx.clock.now().getTime() - readAt >= RESIDENT_SIGN_OUT_RECHECK_MS) {
        // one read at a time: the requests that find the memory stale together wait for the same one
        reading ??= read(ctx).finally(() => {
          reading = undefined;
        });
        await reading;
      }
      return expiries.has(jti);
    },
    async signOut(ctx, session) {
      const expires_at = new Date(session.exp * 1000);
      await insertResidentSignOut(ctx.db, { jti: session.jti, expires_at, signed_out_at: ctx.clock.now() });
      expiries.set(session.jti, expires_at.getTime());
    },
  };
}
