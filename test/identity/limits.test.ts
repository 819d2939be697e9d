// Codes per phone number and per email address: at most codesPerTarget an hour, however the number or the
// address is written, while other targets are not held back; and the resend cooldown holds for an address too.
import test from 'ava';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { nextPhone, ROOMY_LIMITS } from '../helpers/intake.js';

let app: TestApp;
let cooldown: TestApp;
test.before(async () => {
  // No cooldown in the way (100 a minute): only the per-target limit of 3 an hour can refuse.
  app = await startTestApp({
    intake: {
      limits: {
        ...ROOMY_LIMITS,
        resendCooldown: { points: 100, seconds: 60 },
        codesPerTarget: { points: 3, seconds: 3600 },
      },
    },
  });
  cooldown = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
});
test.after.always(async () => {
  await app?.close();
  await cooldown?.close();
});

const askSms = (a: TestApp, phone: string) =>
  a.request('POST', '/api/identity/codes', { json: { channel: 'sms', phone, birth_date: '19820315' } });
const askEmail = (a: TestApp, email: string) =>
  a.request('POST', '/api/identity/codes', { json: { channel: 'email', email, birth_date: '19820315' } });

test('per phone number: the fourth code in an hour is refused, in any spelling; another number is not', async (t) => {
  const phone = nextPhone();
  const digits = phone.replace(/-/g, '');
  const spellings = [phone, digits, `+82 ${phone.slice(1)}`, `+82${digits.slice(1)}`];
  const statuses = [];
  for (const p of spellings) statuses.push((await askSms(app, p)).status);
  t.deepEqual(statuses, [202, 202, 202, 429]);
  const refused = await askSms(app, phone);
  t.is(refused.json.error.code, 'rate_limited');
  t.is(refused.json.error.details.limit, 'codesPerTarget');
  t.true(Number(refused.headers.get('retry-after')) > 60, 'the hour, not the cooldown');
  t.is((await askSms(app, nextPhone())).status, 202, 'another number is not held back');
});

test('per email address: the fourth code in an hour is refused, whatever the case of the address', async (t) => {
  const statuses = [];
  for (const e of ['Kim@Example.org', 'kim@example.org', 'KIM@EXAMPLE.ORG', 'kim@Example.org'])
    statuses.push((await askEmail(app, e)).status);
  t.deepEqual(statuses, [202, 202, 202, 429]);
  t.is((await askEmail(app, 'lee@example.org')).status, 202);
});

test('the resend cooldown holds per email address too', async (t) => {
  t.is((await askEmail(cooldown, 'park@example.org')).status, 202);
  const again = await askEmail(cooldown, 'Park@Example.org');
  t.is(again.status, 429);
  t.is(again.json.error.details.limit, 'resendCooldown');
  t.is((await askEmail(cooldown, 'choi@example.org')).status, 202);
});
