// Send a one-time code by SMS or email: rate-limited per phone/address and per client address, stored as a hash.
import { insertChallenge } from '../db/repos/challenges.js';
import { inTransaction } from '../db/transaction.js';
import { otpFromBytes } from '../domain/application.js';
import { type Problem, problem, validationFailed } from '../domain/errors.js';
import { maskContact, normaliseBirthDate, normaliseEmail, normalisePhone } from '../domain/identity.js';
import { codeHash, contactHash, encryptText, verifiedKey } from '../identity/crypto.js';
import { enqueueNotice } from '../notify/enqueue.js';
import { type IntakeContext, uuidFrom } from './intakeContext.js';

export const CODE_TTL_SECONDS = 5 * 60;
export const CODE_MAX_ATTEMPTS = 5;

export interface CodeRequest {
  channel: 'sms' | 'email';
  /** phone number (channel sms) or email address (channel email), as typed */
  contact: string;
  birth_date: string;
  lang: 'ko' | 'en';
  /** the client's address, for the per-address limit */
  ip: string;
  purpose?: 'self' | 'proxy';
}

export interface CodeSent {
  challenge_id: string;
  channel: 'sms' | 'email';
  sent_to: string;
  expires_at: Date;
  resend_after_seconds: number;
}

/** Checks and normalises what the resident typed; the same rules serve the SMS channel. */
export function normaliseContact(channel: 'sms' | 'email', contact: string, birth: string, today: Date) {
  const birth_date = normaliseBirthDate(birth, today);
  const value = channel === 'sms' ? normalisePhone(contact) : normaliseEmail(contact);
  const problems: Problem[] = [];
  if (!value)
    problems.push(
      channel === 'sms' ? problem('contact', 'phone_number') : problem('contact', 'email_address'),
    );
  if (!birth_date) problems.push(problem('birth_date', 'birth_date_format'));
  if (!value || !birth_date) throw validationFailed(problems);
  return { value, birth_date };
}

export async function requestCode(ctx: IntakeContext, r: CodeRequest): Promise<CodeSent> {
  const now = ctx.clock.now();
  const { value, birth_date } = normaliseContact(r.channel, r.contact, r.birth_date, now);
  const target = contactHash(ctx.secrets, value);
  await ctx.limits.codesPerIp.consume(r.ip);
  await ctx.limits.resendCooldown.consume(target);
  await ctx.limits.codesPerTarget.consume(target);

  const id = uuidFrom(ctx.random);
  const code = otpFromBytes(ctx.random.bytes(8));
  const expires_at = new Date(now.getTime() + CODE_TTL_SECONDS * 1000);
  // What the code will prove: the number or address alone (the birth date is a declared fact, not the key).
  const key = (r.channel === 'sms' ? verifiedKey.phone : verifiedKey.email)(ctx.secrets, value).hash;
  await inTransaction(ctx.db, async (trx) => {
    await insertChallenge(trx, {
      id,
      channel: r.channel,
      target_hash: target,
      identity_key: key,
      code_hash: codeHash(ctx.secrets, id, code),
      max_attempts: CODE_MAX_ATTEMPTS,
      expires_at,
      contact_enc: encryptText(ctx.secrets, value, 'contact'),
      birth_date,
      lang: r.lang,
      purpose: r.purpose ?? 'self',
      created_at: now,
    });
    await enqueueNotice(
      trx,
      {
        kind: 'otp',
        channel: r.channel,
        to: value,
        lang: r.lang,
        params: { code, minutes: CODE_TTL_SECONDS / 60 },
        dedupeKey: `otp:${id}`,
      },
      ctx.secrets.dataKey,
    );
  });
  return {
    challenge_id: id,
    channel: r.channel,
    sent_to: maskContact(r.channel, value),
    expires_at,
    resend_after_seconds: 60,
  };
}
