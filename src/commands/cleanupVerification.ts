// Housekeeping for identity verification: one-time-code challenges an hour past their expiry (each holds a
// sealed phone number or address), rate-limit rows whose window has ended, and spent OIDC nonces, staff
// sessions and resident sign-outs past their expiry. Run by a graphile-worker cron item (src/jobs/housekeeping.ts)
// with the scheduled time as `now`, so a late or repeated run does the same.

import type { Db } from '../db/knex.js';
import { deleteExpiredChallenges } from '../db/repos/challenges.js';
import { deleteExpiredNonceProofs } from '../db/repos/oidcNonces.js';
import { deleteExpiredRateLimits } from '../db/repos/rateLimits.js';
import { deleteExpiredResidentSignOuts } from '../db/repos/residentSignOuts.js';
import { deleteExpiredStaffSessions } from '../db/repos/staffSessions.js';

/** An expired code still answers "expired, ask for a new one" (not "wrong code") for this long. */
export const CHALLENGE_GRACE_MS = 60 * 60 * 1000;

export async function cleanupVerification(
  ctx: { db: Db },
  now: Date,
): Promise<{ challenges: number; rate_limits: number }> {
  const challenges = await deleteExpiredChallenges(ctx.db, new Date(now.getTime() - CHALLENGE_GRACE_MS));
  const rate_limits = await deleteExpiredRateLimits(ctx.db, now);
  await deleteExpiredNonceProofs(ctx.db, now);
  await deleteExpiredStaffSessions(ctx.db, now);
  await deleteExpiredResidentSignOuts(ctx.db, now);
  return { challenges, rate_limits };
}
