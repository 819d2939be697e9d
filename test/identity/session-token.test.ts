// Session tokens: jose's verdict on every crafted token, first seen or remembered; a token checked once is
// remembered, but never past its expiry, and never for another secret or audience.
import { createHmac, randomBytes } from 'node:crypto';
import test from 'ava';
import { jwtVerify } from 'jose';
import { signSessionToken, verifySessionToken } from '../../src/auth/sessionToken.js';
import { DomainError } from '../../src/domain/errors.js';

const secret = Buffer.alloc(32, 7);
const now = new Date('2026-12-03T10:00:00Z');
const epoch = Math.floor(now.getTime() / 1000);
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const sign = (header: string, body: string, key: Uint8Array = secret) =>
  `${header}.${body}.${createHmac('sha256', key).update(`${header}.${body}`).digest('base64url')}`;
const HEADER = b64({ alg: 'HS256', typ: 'JWT' });
const claims = {
  sub: '42',
  iss: 'fair-allocation',
  aud: 'resident',
  jti: 'j',
  iat: epoch - 10,
  exp: epoch + 600,
};

async function jose(token: string) {
  try {
    const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ]);
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: 'fair-allocation',
      audience: 'resident',
      currentDate: now,
      requiredClaims: ['sub', 'jti', 'exp', 'iat'],
    });
    return payload;
  } catch {
    return undefined;
  }
}

const cases: Record<string, string> = {
  signed: await signSessionToken(secret, 'resident', { sub: '42', m: 'sms', lang: 'ko' }, now, 600),
  'audience in a list': sign(HEADER, b64({ ...claims, aud: ['staff', 'resident'] })),
  'nbf passed': sign(HEADER, b64({ ...claims, nbf: epoch })),
  'other audience': sign(HEADER, b64({ ...claims, aud: 'staff' })),
  'audience list without ours': sign(HEADER, b64({ ...claims, aud: ['staff'] })),
  'other issuer': sign(HEADER, b64({ ...claims, iss: 'someone' })),
  'expires now': sign(HEADER, b64({ ...claims, exp: epoch })),
  'exp a string': sign(HEADER, b64({ ...claims, exp: String(epoch + 600) })),
  'iat a string': sign(HEADER, b64({ ...claims, iat: '1' })),
  'no jti': sign(HEADER, b64({ ...claims, jti: undefined })),
  'no iat': sign(HEADER, b64({ ...claims, iat: undefined })),
  'nbf ahead': sign(HEADER, b64({ ...claims, nbf: epoch + 1 })),
  'nbf a string': sign(HEADER, b64({ ...claims, nbf: 'soon' })),
  'claims an array': sign(HEADER, b64([claims])),
  'claims not JSON': sign(HEADER, b64('{"sub":')),
  'claims not UTF-8': sign(HEADER, Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')),
  'another key': sign(HEADER, b64(claims), Buffer.alloc(32, 8)),
  'header with a kid': sign(b64({ alg: 'HS256', typ: 'JWT', kid: 'x' }), b64(claims)),
  'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
  'signature cut': sign(HEADER, b64(claims)).slice(0, -2),
  'signature with padding': `${sign(HEADER, b64(claims))}=`,
  'four parts': `${sign(HEADER, b64(claims))}.x`,
  garbage: 'not-a-token',
  'header with crit': sign(b64({ alg: 'HS256', typ: 'JWT', crit: ['b64'], b64: false }), b64(claims)),
  'header with an unknown crit': sign(b64({ alg: 'HS256', crit: ['x'], x: 1 }), b64(claims)),
  'header without typ': sign(b64({ alg: 'HS256' }), b64(claims)),
  'header alg hs256': sign(b64({ alg: 'hs256', typ: 'JWT' }), b64(claims)),
  'header an array': sign(b64(['HS256']), b64(claims)),
  'claims one character too long': sign(HEADER, `${b64(claims)}A`),
  'aud a number': sign(HEADER, b64({ ...claims, aud: 1 })),
  'exp a fraction ahead': sign(HEADER, b64({ ...claims, exp: epoch + 0.5 })),
  'exp null': sign(HEADER, b64({ ...claims, exp: null })),
  'sub a number': sign(HEADER, b64({ ...claims, sub: 42 })),
};

test("each crafted token gets jose's verdict, remembered or not", async (t) => {
  for (let round = 0; round < 2; round++) {
    for (const [name, token] of Object.entries(cases)) {
      const slow = await jose(token);
      const verdict = await verifySessionToken(secret, 'resident', token, now).catch(() => undefined);
      t.deepEqual(verdict, slow, `${name}, round ${round}`);
    }
  }
});

test('verifySessionToken answers as before: claims, or invalid_token saying whether the session expired', async (t) => {
  t.is((await verifySessionToken(secret, 'resident', cases.signed!, now)).sub, '42');
  t.is((await verifySessionToken(secret, 'resident', cases['header with a kid']!, now)).sub, '42');
  const expired = await t.throwsAsync(verifySessionToken(secret, 'resident', cases['expires now']!, now));
  t.true(expired instanceof DomainError && expired.code === 'invalid_token');
  t.regex(expired!.message, /expired/);
  const forged = await t.throwsAsync(verifySessionToken(secret, 'resident', cases['another key']!, now));
  t.regex(forged!.message, /not valid/);
  await t.throwsAsync(verifySessionToken(secret, 'resident', cases.signed!, new Date(Number.NaN)));
});

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
