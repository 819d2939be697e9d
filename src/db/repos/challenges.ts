import type { Db, Trx } from '../knex.js';

export interface Challenge {
  id: string;
  channel: 'sms' | 'email';
  target_hash: string;
  identity_key: string;
  code_hash: string;
  attempts: number;
  max_attempts: number;
  expires_at: Date;
  consumed_at: Date | null;
  contact_enc: string;
  birth_date: string;
  lang: 'ko' | 'en';
  purpose: 'self' | 'proxy';
  created_at: Date;
}

export async function insertChallenge(
  trx: Trx,
  c: Omit<Challenge, 'attempts' | 'consumed_at'>,
): Promise<void> {
  await trx('verification_challenges').insert(c);
}

/** Locks the challenge row so concurrent guesses are counted one after another. */
export async function lockChallenge(trx: Trx, id: string): Promise<Challenge | undefined> {
  return trx('verification_challenges')
    .select('*', trx.raw("to_char(birth_date, 'YYYY-MM-DD') AS birth_date"))
    .where({ id })
    .forUpdate()
    .first();
}

export async function countFailedAttempt(trx: Trx, id: string): Promise<number> {
  const [row] = await trx('verification_challenges')
    .where({ id })
    .increment('attempts', 1)
    .returning('attempts');
  return (row as { attempts: number }).attempts;
}

export async function consumeChallenge(trx: Trx, id: string, at: Date): Promise<void> {
  await trx('verification_challenges')
    .where({ id })
    .update({ consumed_at: at, attempts: trx.raw('attempts + 1') });
}

/** Deletes challenges that expired before `before` (codes live five minutes; nothing reads them after). */
export async function deleteExpiredChallenges(db: Db | Trx, before: Date): Promise<number> {
  return db('verification_challenges').where('expires_at', '<', before).delete();
}
