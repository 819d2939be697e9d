// Session tokens: a token checked once is remembered, but never past its expiry, and never for another
// secret or audience.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { signSessionToken, verifySessionToken } from '../../src/auth/sessionToken.js';

const at = new Date('2026-12-01T09:00:00Z');
const later = (s: number) => new Date(at.getTime() + s * 1000);

test('a remembered token still expires, and stays bound to its secret and audience', async (t) => {
  const secret = randomBytes(32);
  const token = await signSessionToken(secret, 'resident', { sub: 'p-1' }, at, 60);
  t.is((await verifySessionToken(secret, 'resident', token, later(10))).sub, 'p-1');
  t.is((await verifySessionToken(secret, 'resident', token, later(59))).sub, 'p-1'); // from memory
  const expired = await t.throwsAsync(verifySessionToken(secret, 'resident', token, later(61)));
  t.is((expired as { code?: string }).code, 'invalid_token');
  t.regex(expired!.message, /expired/);
  const fresh = await signSessionToken(secret, 'resident', { sub: 'p-2' }, at, 60);
  await verifySessionToken(secret, 'resident', fresh, later(1));
  const other = await t.throwsAsync(verifySessionToken(randomBytes(32), 'resident', fresh, later(1)));
  t.is((other as { code?: string }).code, 'invalid_token');
  const staff = await t.throwsAsync(verifySessionToken(secret, 'staff', fresh, later(1)));
  t.is((staff as { code?: string }).code, 'invalid_token');
});
