// Which provider failures are retried and which fail for good decides whether a resident gets a message once,
// twice or never: the classification tables for Twilio and SMTP errors, one row per rule.
import test from 'ava';
import { networkTemporaryError, PermanentError, TemporaryError } from '../../src/notify/channel.js';
import { classifySmtpError } from '../../src/notify/smtpChannel.js';
import { classifyTwilioError } from '../../src/notify/twilioChannel.js';

type Kind = 'permanent' | 'temporary' | 'in_doubt' | 'other';
const kindOf = (e: Error): Kind =>
  e instanceof PermanentError
    ? 'permanent'
    : e instanceof TemporaryError
      ? e.inDoubt
        ? 'in_doubt'
        : 'temporary'
      : 'other';
const codeOf = (e: Error) => (e as { code?: string }).code;

test('Twilio: message errors are permanent, refusals temporary, server errors in doubt', (t) => {
  const rest = (status: number, code?: number) =>
    Object.assign(new Error(`twilio ${status}`), { status, ...(code ? { code } : {}) });
  const rows: Array<[Error, Kind, string]> = [
    [rest(400, 21211), 'permanent', 'twilio_21211'], // invalid number
    [rest(400, 21610), 'permanent', 'twilio_21610'], // replied STOP
    [rest(400, 30006), 'permanent', 'twilio_30006'], // landline
    [rest(429, 20429), 'temporary', 'twilio_20429'], // too many requests: nothing was created
    [rest(401, 20003), 'temporary', 'twilio_20003'], // credentials: fixable, nothing created
    [rest(500), 'in_doubt', 'http_500'], // may have been created before failing
    [rest(503, 20503), 'in_doubt', 'twilio_20503'],
    [rest(408), 'in_doubt', 'http_408'],
    [rest(400, 21999), 'permanent', 'twilio_21999'], // any other 4xx: sending again fails again
    [rest(404), 'permanent', 'http_404'],
  ];
  for (const [err, kind, code] of rows) {
    const c = classifyTwilioError(err);
    t.is(kindOf(c), kind, err.message);
    t.is(codeOf(c), code);
  }
  const timeout = classifyTwilioError(new Error('timeout of 5000ms exceeded'));
  t.is(kindOf(timeout), 'in_doubt');
  t.is(codeOf(timeout), 'timeout');
  const reset = classifyTwilioError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  t.is(kindOf(reset), 'in_doubt');
  const refused = classifyTwilioError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }));
  t.is(kindOf(refused), 'temporary', 'never connected: not in doubt');
  const bug = new TypeError('x is undefined');
  t.is(classifyTwilioError(bug), bug, 'anything else is passed on as it is');
  t.is(classifyTwilioError('text').message, 'text');
});

test('SMTP: 4xx is try-again-later, 5xx a refusal; envelope errors permanent, auth temporary', (t) => {
  const smtp = (responseCode: number) => Object.assign(new Error(`smtp ${responseCode}`), { responseCode });
  const rows: Array<[Error, Kind, string]> = [
    [smtp(421), 'temporary', 'smtp_421'],
    [smtp(451), 'temporary', 'smtp_451'],
    [smtp(452), 'temporary', 'smtp_452'],
    [smtp(550), 'permanent', 'smtp_550'],
    [smtp(553), 'permanent', 'smtp_553'],
    [Object.assign(new Error('no recipients'), { code: 'EENVELOPE' }), 'permanent', 'eenvelope'],
    [Object.assign(new Error('bad message'), { code: 'EMESSAGE' }), 'permanent', 'emessage'],
    [Object.assign(new Error('535 auth'), { code: 'EAUTH' }), 'temporary', 'smtp_auth'],
    [Object.assign(new Error('greeting never came'), { code: 'ETIMEDOUT' }), 'in_doubt', 'etimedout'],
    [Object.assign(new Error('dns'), { code: 'EDNS' }), 'temporary', 'edns'],
  ];
  for (const [err, kind, code] of rows) {
    const c = classifySmtpError(err);
    t.is(kindOf(c), kind, err.message);
    t.is(codeOf(c), code);
  }
  const bug = new RangeError('oops');
  t.is(classifySmtpError(bug), bug);
});

test('network codes: unknown ones are not guessed at', (t) => {
  t.is(networkTemporaryError(Object.assign(new Error('x'), { code: 'EWHATEVER' })), undefined);
  t.is(networkTemporaryError(Object.assign(new Error('x'), { code: 42 })), undefined);
  t.is(networkTemporaryError(undefined), undefined);
  t.true(networkTemporaryError({ code: 'EPIPE' })!.inDoubt);
  t.false(networkTemporaryError({ code: 'ENOTFOUND' })!.inDoubt);
});

test('a provider error without a message is worded by its label; a thrown non-Error becomes an Error', (t) => {
  const bare = (o: object) => Object.assign(Object.create(null), o) as unknown;
  const rows: Array<[Error, Kind, string]> = [
    [classifyTwilioError(bare({ status: 400, code: 21211 })), 'permanent', 'twilio_21211'],
    [classifyTwilioError(bare({ status: 429 })), 'temporary', 'http_429'],
    [classifyTwilioError(bare({ status: 502 })), 'in_doubt', 'http_502'],
    [classifyTwilioError(bare({ status: 404, code: 'x' })), 'permanent', 'http_404'],
    [classifySmtpError(bare({ responseCode: 452 })), 'temporary', 'smtp_452'],
    [classifySmtpError(bare({ responseCode: 554 })), 'permanent', 'smtp_554'],
    [classifySmtpError(bare({ code: 'EENVELOPE' })), 'permanent', 'eenvelope'],
  ];
  for (const [c, kind, code] of rows) {
    t.is(kindOf(c), kind, code);
    t.is(codeOf(c), code);
    t.is(c.message, code === 'eenvelope' ? 'EENVELOPE' : code);
  }
  const auth = classifySmtpError(bare({ code: 'EAUTH' }));
  t.is(codeOf(auth), 'smtp_auth');
  t.is(auth.message, 'authentication failed');
  const text = classifySmtpError('greeting was garbage');
  t.true(text instanceof Error);
  t.is(text.message, 'greeting was garbage');
});
