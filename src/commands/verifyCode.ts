// Check a one-time code: at most five guesses per code, five minutes, once. Success yields the identity.
import { consumeChallenge, countFailedAttempt, lockChallenge } from '../db/repos/challenges.js';
import type { Identity } from '../db/repos/identities.js';
import { inTransaction } from '../db/transaction.js';
import { DomainError } from '../domain/errors.js';
import type { BirthDateSource } from '../domain/facts.js';
import { codeHash, sameHash } from '../identity/crypto.js';
import type { IntakeContext } from './intakeContext.js';
import { birthDateOf, resolveIdentity } from './resolveIdentity.js';

export interface VerifiedPerson {
  identity: Identity;
  birth_date: string;
  birth_date_source: BirthDateSource;
  contact_channel: 'sms' | 'email';
  /** sealed contact, carried in the session so applying needs no extra read */
  contact_enc: string;
  purpose: 'self' | 'proxy';
}

type Outcome =
  | { ok: true; person: VerifiedPerson }
  | { ok: false; code: 'code_invalid' | 'code_expired' | 'code_exhausted'; attemptsLeft: number };

export async function verifyCode(
  ctx: IntakeContext,
  v: { challenge_id: string; code: string; ip: string; purpose?: 'self' | 'proxy' },
): Promise<VerifiedPerson> {
  await ctx.limits.verifyPerIp.consume(v.ip);
  const now = ctx.clock.now();
  // A wrong guess must be counted even though the caller gets an error: decide inside, throw after commit.
  const outcome = await inTransaction(ctx.db, async (trx): Promise<Outcome> => {
    const c = await lockChallenge(trx, v.challenge_id);
    // A helper's challenge never opens the person's own session, and the other way round.
    if (!c || c.purpose !== (v.purpose ?? 'self'))
      return { ok: false, code: 'code_invalid', attemptsLeft: 0 };
    if (c.consumed_at || now.getTime() >= new Date(c.expires_at).getTime()) {
      return { ok: false, code: 'code_expired', attemptsLeft: 0 };
    }
    if (c.attempts >= c.max_attempts) return { ok: false, code: 'code_exhausted', attemptsLeft: 0 };
    if (!/^\d{6}$/.test(v.code) || !sameHash(c.code_hash, codeHash(ctx.secrets, c.id, v.code))) {
      const attempts = await countFailedAttempt(trx, c.id);
      const left = c.max_attempts - attempts;
      return { ok: false, code: left > 0 ? 'code_invalid' : 'code_exhausted', attemptsLeft: left };
    }
    await consumeChallenge(trx, c.id, now);
    // The code proved the phone number (or address) alone: that is the key, whatever birth date was typed.
    const identity = await resolveIdentity(ctx, trx, {
      keys: [{ kind: c.channel === 'sms' ? 'phone' : 'email', hash: c.identity_key }],
      method: c.channel,
      ...(c.channel === 'sms'
        ? { phone_enc: c.contact_enc, phone_hash: c.target_hash }
        : { email_enc: c.contact_enc }),
      lang: c.lang,
    });
    const birth = birthDateOf(ctx, identity, c.birth_date);
    return {
      ok: true,
      person: {
        identity,
        birth_date: birth.birth_date ?? c.birth_date,
        birth_date_source: birth.birth_date_source ?? 'declared',
        contact_channel: c.channel,
        contact_enc: c.contact_enc,
        purpose: c.purpose,
      },
    };
  });
  if (outcome.ok) return outcome.person;
  const message = {
    code_invalid: 'The code is not right; check the message and try again',
    code_expired: 'The code has expired or was already used; ask for a new one',
    code_exhausted: 'Too many wrong codes; ask for a new one',
  }[outcome.code];
  throw new DomainError(outcome.code, message, { details: { attempts_left: outcome.attemptsLeft } });
}
