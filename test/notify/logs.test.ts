// No phone number, email address or one-time code reaches the logs: the service's own logger at `info`,
// captured, through asking for codes, verifying, applying (API, web form, SMS), sending by SMS and email
// (a worker against the Twilio and SMTP stand-ins) and the provider's webhooks.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import test from 'ava';
import twilio from 'twilio';
import { createLogger } from '../../src/logger.js';
import type { NotifyWorker } from '../../src/notify/worker.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { codeFor, openVoucherCampaign, ROOMY_LIMITS } from '../helpers/intake.js';
import { standInChannels, startTestWorker, waitFor } from '../helpers/notify.js';
import { type SmtpStandIn, startSmtpStandIn } from '../helpers/smtpStandIn.js';
import { startTwilioStandIn, type TwilioStandIn } from '../helpers/twilioStandIn.js';

const TOKEN = 'logs-test-twilio-auth-token-0123';
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});
const logger = createLogger('info', sink);

let app: TestApp;
let twilioStandIn: TwilioStandIn;
let smtp: SmtpStandIn;
let worker: NotifyWorker;
test.before(async () => {
  twilioStandIn = await startTwilioStandIn();
  smtp = await startSmtpStandIn();
  app = await startTestApp({
    logger,
    config: { TWILIO_AUTH_TOKEN: TOKEN },
    intake: { limits: ROOMY_LIMITS },
  });
  worker = await startTestWorker(
    app.database,
    standInChannels({ twilioUrl: twilioStandIn.url, smtpUrl: smtp.url }),
    { logger },
  );
});
test.after.always(async () => {
  await worker?.stop();
  await app?.close();
  await twilioStandIn?.close();
  await smtp?.close();
});

const signed = (path: string, form: Record<string, string>) =>
  app.request('POST', path, {
    form,
    headers: {
      'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, `http://127.0.0.1${path}`, form),
    },
  });

test.serial('phone numbers, email addresses and codes never appear in the logs at info', async (t) => {
  const c = await openVoucherCampaign(app, { code: 'LOG2612', verification_methods: ['sms', 'email'] });
  const secrets: string[] = [];
  const phoneForms = (local: string) => {
    const digits = local.replace(/-/g, '');
    return [local, digits, `+82${digits.slice(1)}`, digits.slice(3)];
  };

  // API: a code by SMS, verified, then an application (the receipt goes by SMS).
  const phone = '010-7345-2981';
  secrets.push(...phoneForms(phone));
  const sent = await app.request('POST', '/api/identity/codes', {
    json: { channel: 'sms', phone, birth_date: '19820315' },
  });
  t.is(sent.status, 202, sent.text);
  const code = await codeFor(app, sent.json.challenge_id);
  secrets.push(code);
  const wrong = code === '000000' ? '111111' : '000000';
  await app.request('POST', '/api/identity/verify', {
    json: { challenge_id: sent.json.challenge_id, code: wrong },
  });
  const v = await app.request('POST', '/api/identity/verify', {
    json: { challenge_id: sent.json.challenge_id, code },
  });
  t.is(v.status, 200, v.text);
  const applied = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: { 'x-resident-token': v.json.token },
    json: { amount: 100_000 },
  });
  t.is(applied.status, 201, applied.text);

  // Web form: a code by email, verified, then the form (the receipt goes by email).
  const email = 'Hong.Gildong@mail.example';
  secrets.push(email, email.toLowerCase(), 'hong.gildong');
  const esent = await app.request('POST', '/api/identity/codes', {
    json: { channel: 'email', email, birth_date: '19750505' },
  });
  t.is(esent.status, 202, esent.text);
  const ecode = await codeFor(app, esent.json.challenge_id);
  secrets.push(ecode);
  const ev = await app.request('POST', '/api/identity/verify', {
    json: { challenge_id: esent.json.challenge_id, code: ecode },
  });
  const web = await app.request('POST', `/campaigns/${c.id}/apply`, {
    headers: { 'x-resident-token': ev.json.token, accept: 'text/html' },
    form: { amount: '50000' },
  });
  t.is(
    web.status,
    302,
    web.text
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .slice(0, 600),
  );

  // SMS: an application and a malformed command from two numbers; a bad phone number in a code request.
  const smsFrom = '+821062227788';
  secrets.push(...phoneForms('010-6222-7788'));
  const inbound = {
    MessageSid: `SM${randomBytes(16).toString('hex')}`,
    From: smsFrom,
    Body: `신청 ${c.code} 30000 19900101`,
  };
  t.is((await signed('/webhooks/twilio/inbound', inbound)).status, 200);
  const junkFrom = '+821093335544';
  secrets.push(...phoneForms('010-9333-5544'));
  const junk = {
    MessageSid: `SM${randomBytes(16).toString('hex')}`,
    From: junkFrom,
    Body: 'hello 010-9333-5544',
  };
  t.is((await signed('/webhooks/twilio/inbound', junk)).status, 200);
  const bad = await app.request('POST', '/api/identity/codes', {
    json: { channel: 'sms', phone: '010-4444-55', birth_date: '19820315' },
  });
  t.is(bad.status, 422);
  secrets.push('010-4444-55', '0104444');

  // Everything queued is sent: codes, receipts and replies, by SMS and email.
  const queued = async () =>
    Number((await app.db('messages').whereNotIn('status', ['sent', 'delivered']).count('* as n'))[0]!.n);
  await waitFor('every message sent', async () => (await queued()) === 0, 30_000);
  t.is(twilioStandIn.accepted.length, 4, 'the code, the receipt and two SMS replies');
  t.is(smtp.received.length, 2, 'the code and the receipt');

  // The provider reports delivery and a failure for what was sent (signed status callbacks).
  for (const [i, m] of twilioStandIn.accepted.entries()) {
    const status = await signed('/webhooks/twilio/status', {
      MessageSid: m.sid,
      MessageStatus: i === 0 ? 'undelivered' : 'delivered',
      ...(i === 0 ? { ErrorCode: '30003' } : {}),
      To: m.to,
      AccountSid: 'AC1',
    });
    t.is(status.status, 204, status.text);
  }

  // The capture works: requests and sends were logged at info.
  t.true(lines.length > 10, `${lines.length} log lines`);
  t.true(lines.some((l) => l.includes('/api/identity/codes')));
  t.true(lines.some((l) => l.includes('/webhooks/twilio/status')));
  const all = lines.join('\n');
  for (const s of secrets) t.false(all.toLowerCase().includes(s.toLowerCase()), `"${s}" appears in the logs`);
});
