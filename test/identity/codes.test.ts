// One-time codes: right, wrong, expired, exhausted, reused; resend cooldown and per-address limits.
import test from 'ava';
import { normalisePhone } from '../../src/domain/identity.js';
import { verifiedKey } from '../../src/identity/crypto.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { codeFor, nextPhone, ROOMY_LIMITS } from '../helpers/intake.js';

let app: TestApp;
let tight: TestApp;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
  tight = await startTestApp({
    intake: {
      limits: {
        ...ROOMY_LIMITS,
        codesPerIp: { points: 3, seconds: 3600 },
        verifyPerIp: { points: 4, seconds: 600 },
      },
    },
  });
});
test.after.always(async () => {
  await app?.close();
  await tight?.close();
});

async function ask(a: TestApp, phone = nextPhone()) {
  const res = await a.request('POST', '/api/identity/codes', {
    json: { channel: 'sms', phone, birth_date: '1982-03-15' },
  });
  return { res, phone };
}

test.serial('the code is stored only as a hash; the right code gives a session once', async (t) => {
  const { res, phone } = await ask(app);
  t.is(res.status, 202, res.text);
  t.regex(res.json.sent_to, /^010-\*\*\*\*-\d{4}$/);
  const code = await codeFor(app, res.json.challenge_id);
  const row = await app.db('verification_challenges').where({ id: res.json.challenge_id }).first();
  const stored = JSON.stringify(row);
  t.false(stored.includes(code));
  // Neither the number as typed nor its digits (national or E.164) are in the challenge row.
  const digits = phone.replace(/-/g, '');
  for (const form of [phone, digits, `82${digits.slice(1)}`, digits.slice(3)])
    t.false(stored.includes(form), `the challenge row holds ${form}`);
  const ok = await app.request('POST', '/api/identity/verify', {
    json: { challenge_id: res.json.challenge_id, code },
  });
  t.is(ok.status, 200, ok.text);
  t.truthy(ok.json.token);
  t.is(ok.json.identity.birth_date, '1982-03-15');
  const again = await app.request('POST', '/api/identity/verify', {
    json: { challenge_id: res.json.challenge_id, code },
  });
  t.is(again.json.error.code, 'code_expired');
});

test.serial(
  'the same phone is the same identity however it is written; the raw number is never stored',
  async (t) => {
    const phone = nextPhone();
    for (const variant of [phone, phone.replace(/-/g, ''), `+82 ${phone.slice(1)}`]) {
      await app.db('rate_limits').del();
      const { res } = await ask(app, variant);
      t.is(res.status, 202, res.text);
      await app.request('POST', '/api/identity/verify', {
        json: { challenge_id: res.json.challenge_id, code: await codeFor(app, res.json.challenge_id) },
      });
    }
    const digits = phone.replace(/-/g, '').slice(1);
    const rows = await app.db('identities').select('*');
    t.false(JSON.stringify(rows).includes(digits));
    const key = verifiedKey.phone(TEST_SECRETS, normalisePhone(phone)!).hash;
    t.is((await app.db('identities').where({ identity_key: key })).length, 1);
  },
);

test.serial(
  'a wrong code counts; five wrong codes exhaust it, even the right one is then refused',
  async (t) => {
    const { res } = await ask(app);
    const id = res.json.challenge_id;
    const code = await codeFor(app, id);
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await app.request('POST', '/api/identity/verify', {
      json: { challenge_id: id, code: wrong },
    });
    t.is(first.status, 422);
    t.is(first.json.error.code, 'code_invalid');
    t.is(first.json.error.details.attempts_left, 4);
    for (let i = 0; i < 3; i++)
      await app.request('POST', '/api/identity/verify', { json: { challenge_id: id, code: wrong } });
    const fifth = await app.request('POST', '/api/identity/verify', {
      json: { challenge_id: id, code: wrong },
    });
    t.is(fifth.json.error.code, 'code_exhausted');
    const right = await app.request('POST', '/api/identity/verify', { json: { challenge_id: id, code } });
    t.is(right.json.error.code, 'code_exhausted');
    const row = await app.db('verification_challenges').where({ id }).first();
    t.is(row.attempts, 5);
    t.is(row.consumed_at, null);
  },
);

test.serial('a code expires after five minutes (stepped clock)', async (t) => {
  const { res } = await ask(app);
  const code = await codeFor(app, res.json.challenge_id);
  app.clock.advance(5 * 60_000);
  const late = await app.request('POST', '/api/identity/verify', {
    json: { challenge_id: res.json.challenge_id, code },
  });
  t.is(late.status, 410);
  t.is(late.json.error.code, 'code_expired');
  app.clock.advance(-5 * 60_000);
});

test.serial(
  'resend cooldown per phone: a second code within a minute is refused with Retry-After',
  async (t) => {
    const { phone } = await ask(app);
    const again = await app.request('POST', '/api/identity/codes', {
      json: { channel: 'sms', phone, birth_date: '1982-03-15' },
    });
    t.is(again.status, 429);
    t.is(again.json.error.code, 'rate_limited');
    t.truthy(Number(again.headers.get('retry-after')) > 0);
  },
);

test.serial('per client address limits on asking and on guessing', async (t) => {
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await ask(tight)).res.status);
  t.deepEqual(statuses, [202, 202, 202, 429]);
  const guesses = [];
  for (let i = 0; i < 5; i++) {
    guesses.push(
      (
        await tight.request('POST', '/api/identity/verify', {
          json: { challenge_id: '00000000-0000-4000-8000-000000000000', code: '123456' },
        })
      ).json.error.code,
    );
  }
  t.is(guesses[4], 'rate_limited');
});

test.serial(
  'bad phone numbers and birth dates are refused with field messages; nothing is queued',
  async (t) => {
    const before = Number((await app.db('messages').count('* as n'))[0]!.n);
    for (const [phone, birth_date, field] of [
      ['12345', '19820315', 'contact'],
      ['010-1234-5678', '19821345', 'birth_date'],
      ['02-123-4567', '19820315', 'contact'],
    ] as const) {
      const res = await app.request('POST', '/api/identity/codes', {
        json: { channel: 'sms', phone, birth_date },
      });
      t.is(res.status, 422, `${phone} ${birth_date}`);
      t.truthy(res.json.error.fields[field]);
    }
    t.is(Number((await app.db('messages').count('* as n'))[0]!.n), before);
  },
);

test.serial('email codes work the same way', async (t) => {
  const res = await app.request('POST', '/api/identity/codes', {
    json: { channel: 'email', email: 'Resident@Example.org', birth_date: '19700101' },
  });
  t.is(res.status, 202, res.text);
  t.is(res.json.sent_to, 'r***@example.org');
  const code = await codeFor(app, res.json.challenge_id);
  const ok = await app.request('POST', '/api/identity/verify', {
    json: { challenge_id: res.json.challenge_id, code },
  });
  t.is(ok.status, 200);
});
