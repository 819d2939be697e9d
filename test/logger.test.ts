// The log redaction hides personal values wherever they are, not fields by name: an error code such as EPIPE
// under `code` stays readable; phone numbers, email addresses and one-time codes do not appear in any field,
// message or error text.
import { Writable } from 'node:stream';
import test from 'ava';
import { createLogger, redactPersonal } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

test('error codes under `code` show; personal values under any key, message or error do not', (t) => {
  const { logger, lines } = capture();
  const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32 });
  logger.error({ err: epipe, code: 'ECONNRESET' }, 'socket closed');
  logger.warn({ error_code: '23505', code: 'channel_not_configured' }, 'failed');
  logger.info(
    {
      email: 'jisoo.kim@example.org',
      recipient: '+821012345678',
      phone: '010-1234-5678',
      note: 'call 010 9876 5432 or +82 10-5555-1234',
      code: '482913',
      nested: { contact: 'someone@city.example', otp: '123456' },
    },
    'sent to jisoo.kim@example.org',
  );
  logger.error(
    { err: new Error('duplicate key: (email)=(lee@example.com) for +821055556666') },
    'insert failed',
  );
  const all = lines.join('\n');
  t.regex(all, /"code":"EPIPE"/);
  t.regex(all, /"code":"ECONNRESET"/);
  t.regex(all, /"code":"channel_not_configured"/);
  t.regex(all, /"error_code":"23505"/);
  for (const secret of [
    'jisoo.kim@example.org',
    'someone@city.example',
    'lee@example.com',
    '+821012345678',
    '010-1234-5678',
    '010 9876 5432',
    '10-5555-1234',
    '+821055556666',
    '482913',
    '123456',
  ]) {
    t.false(all.includes(secret), `${secret} leaked:\n${all}`);
  }
  t.regex(all, /\[email\]/);
  t.regex(all, /\[phone\]/);
});

test('ids, times, masked recipients and counts are left alone', (t) => {
  const line = JSON.stringify({
    request_id: '01012345-6789-4abc-8def-010123456789',
    time: '2026-12-03T07:05:45.123Z',
    to_masked: '+82******5678',
    ms: 123456,
    public_id: 'A7K-22M9',
  });
  t.is(redactPersonal(line), line);
});

test('secrets are still redacted by name', (t) => {
  const { logger, lines } = capture();
  logger.info({
    req: { headers: { cookie: 'staff_session=abc', authorization: 'Bearer xyz' } },
    password: 'hunter22',
  });
  const all = lines.join('\n');
  t.false(all.includes('staff_session=abc'));
  t.false(all.includes('Bearer xyz'));
  t.false(all.includes('hunter22'));
});
