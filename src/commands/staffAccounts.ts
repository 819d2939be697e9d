// Staff accounts: adding one (with a one-time sign-in link) and signing in by password or link.
import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/log.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { findSite } from '../db/repos/sites.js';
import {
  consumeLoginToken,
  findStaffByEmail,
  findStaffById,
  insertLoginToken,
  insertStaff,
  type Staff,
  type StaffRole,
  updateStaffPassword,
} from '../db/repos/staff.js';
import { DomainError } from '../domain/errors.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';

const LINK_TTL_MS = 24 * 3600 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest();

export async function addStaff(
  ctx: CommandContext,
  actor: Actor,
  input: { email: string; role: StaffRole; site_id?: string | undefined; password?: string | undefined },
): Promise<{ staff: Staff; loginToken: string }> {
  if ((input.role === 'site_staff') !== Boolean(input.site_id)) {
    throw new DomainError('validation_failed', 'Site staff need a site; other roles have none', {
      fields: { site_id: 'Site staff are bound to exactly one site; admins and auditors to none' },
    });
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return ctx.db.transaction(async (trx) => {
    if (input.site_id && !(await findSite(trx, input.site_id))) {
      throw new DomainError('validation_failed', 'Unknown site', {
        fields: { site_id: `Unknown site ${input.site_id}` },
      });
    }
    if (await findStaffByEmail(trx, input.email)) {
      throw new DomainError('conflict', 'A staff member with this email exists', {
        fields: { email: 'Already registered' },
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

export async function signInWithPassword(
  ctx: CommandContext,
  email: string,
  password: string,
): Promise<Staff> {
  const staff = await findStaffByEmail(ctx.db, email);
  // Same error whether the account is unknown or the password wrong: no account probing.
  const ok = staff?.password_hash ? await verifyPassword(password, staff.password_hash) : false;
  if (!staff || !ok || staff.disabled_at)
    throw new DomainError('invalid_credentials', 'Email or password is wrong');
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

export async function setStaffPassword(
  ctx: CommandContext,
  staffId: string,
  password: string,
): Promise<void> {
  await updateStaffPassword(ctx.db, staffId, await hashPassword(password));
}
