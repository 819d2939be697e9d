// Staff accounts: adding one (with a one-time sign-in link), signing in by password or link, sessions,
// a new password and disabling (both end every open session).
import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/log.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import type { SignInLimits } from '../auth/signInLimits.js';
import { findSite } from '../db/repos/sites.js';
import {
  consumeLoginToken,
  findStaffByEmail,
  findStaffById,
  insertLoginToken,
  insertStaff,
  markStaffDisabled,
  type Staff,
  type StaffRole,
  updateStaffPassword,
} from '../db/repos/staff.js';
import { insertStaffSession, revokeAllStaffSessions, revokeStaffSession } from '../db/repos/staffSessions.js';
import { inTransaction } from '../db/transaction.js';
import { DomainError, problem } from '../domain/errors.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';
import type { CheckedSessions } from './staffSessionCheck.js';

const LINK_TTL_MS = 24 * 3600 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest();

export async function addStaff(
  ctx: CommandContext,
  actor: Actor,
  input: { email: string; role: StaffRole; site_id?: string | undefined; password?: string | undefined },
): Promise<{ staff: Staff; loginToken: string }> {
  if ((input.role === 'site_staff') !== Boolean(input.site_id)) {
    throw new DomainError('validation_failed', 'Site staff need a site; other roles have none', {
      problems: [problem('site_id', 'staff_site_for_role')],
    });
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return inTransaction(ctx.db, async (trx) => {
    if (input.site_id && !(await findSite(trx, input.site_id))) {
      throw new DomainError('validation_failed', 'Unknown site', {
        problems: [problem('site_id', 'site_unknown', { site: input.site_id })],
      });
    }
    if (await findStaffByEmail(trx, input.email)) {
      throw new DomainError('conflict', 'A staff member with this email exists', {
        problems: [problem('email', 'email_taken')],
      });
    }
    const staff = await insertStaff(trx, {
      email: input.email,
      role: input.role,
      site_id: input.site_id ?? null,
      password_hash: passwordHash,
    });
    const loginToken = randomBytes(24).toString('base64url');
    const now = ctx.clock.now();
    await insertLoginToken(trx, {
      token_hash: hashToken(loginToken),
      staff_id: staff.id,
      expires_at: new Date(now.getTime() + LINK_TTL_MS),
    });
    await appendAudit(trx, {
      at: now,
      actor: actorLabel(actor),
      action: 'staff.added',
      subject: `staff:${staff.id}`,
      data: { role: staff.role, site_id: staff.site_id },
    });
    return { staff, loginToken };
  });
}

/** Counted per account and per address before the check; unknown accounts cost the same scrypt work. */
export async function signInWithPassword(
  ctx: CommandContext,
  limits: SignInLimits,
  attempt: { email: string; password: string; ip: string },
): Promise<Staff> {
  const account = limits.accountKey(attempt.email);
  await limits.perAddress.consume(attempt.ip);
  await limits.perAccount.consume(account);
  const staff = await findStaffByEmail(ctx.db, attempt.email);
  const ok = await verifyPassword(attempt.password, staff?.password_hash);
  // Same error whether the account is unknown, disabled or the password wrong: no account probing.
  if (!staff || !ok || staff.disabled_at)
    throw new DomainError('invalid_credentials', 'Email or password is wrong');
  await Promise.all([limits.perAccount.reset(account), limits.perAddress.refund(attempt.ip)]);
  return staff;
}

export async function signInWithLink(ctx: CommandContext, token: string): Promise<Staff> {
  const staffId = await consumeLoginToken(ctx.db, hashToken(token), ctx.clock.now());
  const staff = staffId ? await findStaffById(ctx.db, staffId) : undefined;
  if (!staff || staff.disabled_at) {
    throw new DomainError(
      'invalid_token',
      'This sign-in link is unknown, used or expired; ask an admin for a new one',
    );
  }
  return staff;
}

/** A command that ends sessions: it makes the web process's checked sessions (if given) read them again. */
type RevokingContext = CommandContext & { staffSessions?: Pick<CheckedSessions, 'forget'> };

/** A new password ends every session of the account: whoever held an old token must sign in again. */
export async function setStaffPassword(
  ctx: RevokingContext,
  actor: Actor,
  staffId: string,
  password: string,
): Promise<void> {
  const hash = await hashPassword(password);
  await inTransaction(ctx.db, async (trx) => {
    const now = ctx.clock.now();
    await updateStaffPassword(trx, staffId, hash);
    await revokeAllStaffSessions(trx, staffId, now);
    await appendAudit(trx, {
      at: now,
      actor: actorLabel(actor),
      action: 'staff.password_changed',
      subject: `staff:${staffId}`,
      data: {},
    });
  });
  ctx.staffSessions?.forget();
}

/** A disabled account cannot sign in, and its open sessions end at once. */
export async function disableStaff(ctx: RevokingContext, actor: Actor, staffId: string): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const now = ctx.clock.now();
    if (!(await markStaffDisabled(trx, staffId, now)))
      throw new DomainError('not_found', 'No such staff member');
    await revokeAllStaffSessions(trx, staffId, now);
    await appendAudit(trx, {
      at: now,
      actor: actorLabel(actor),
      action: 'staff.disabled',
      subject: `staff:${staffId}`,
      data: {},
    });
  });
  ctx.staffSessions?.forget();
}

/** Records a freshly signed token as a live session (its jti), so it can be revoked. */
export async function openStaffSession(
  ctx: CommandContext,
  s: { id: string; staff_id: string; expires_at: Date },
): Promise<void> {
  await insertStaffSession(ctx.db, s);
}

export async function closeStaffSession(ctx: RevokingContext, sessionId: string): Promise<void> {
  await revokeStaffSession(ctx.db, sessionId, ctx.clock.now());
  ctx.staffSessions?.forget();
}
