// Staff passwords with Node's scrypt (OpenSSL's implementation), stored as scrypt$N$r$p$salt$hash.
// Each hash takes ~100 ms of a core and 32 MB: at most HASHING_AT_ONCE run at a time (p-limit), so a burst of
// sign-ins queues instead of taking every core (120 parallel wrong sign-ins made a GET wait 1.9 s), and past
// HASHING_QUEUE_MAX waiting the answer is `busy` at once.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import pLimit from 'p-limit';
import { DomainError } from '../domain/errors.js';

const scryptRaw = promisify(scryptCb) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: object,
) => Promise<Buffer>;
const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** one core for hashing, the other for everything else */
export const HASHING_AT_ONCE = 1;
export const HASHING_QUEUE_MAX = 32;
const hashing = pLimit(HASHING_AT_ONCE);

function scrypt(pw: string, salt: Buffer, len: number, opts: object): Promise<Buffer> {
  if (hashing.pendingCount >= HASHING_QUEUE_MAX) {
    throw new DomainError('busy', 'Too many sign-ins at once; try again in a few seconds', {
      details: { retry_after: 5 },
    });
  }
  return hashing(() => scryptRaw(pw, salt, len, opts));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, PARAMS);
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

// Checked against when there is no stored hash (unknown account, link-only account), so every answer costs
// the same scrypt work and the time does not tell which emails exist.
let dummy: Promise<string> | undefined;

/** `stored` undefined or null: the same work is done and the answer is false. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const real = typeof stored === 'string' && stored.startsWith('scrypt$');
  dummy ??= hashPassword(randomBytes(16).toString('base64url'));
  const [, n, r, p, salt, hash] = (real ? (stored as string) : await dummy).split('$');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return real && timingSafeEqual(actual, expected);
}
