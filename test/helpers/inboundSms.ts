// A resident's text to the service: one signed Twilio inbound webhook, and the reply the service queued for it.
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { startTestApp, type TestApp } from './app.js';
import { ROOMY_LIMITS } from './intake.js';

/** Sends one signed SMS (the app's TWILIO_AUTH_TOKEN is `token`); resolves to the reply queued ('' when none). */
export async function textService(app: TestApp, token: string, from: string, body: string): Promise<string> {
  const form = { MessageSid: `SM${randomBytes(16).toString('hex')}`, From: from, Body: body };
  const url = 'http://127.0.0.1/webhooks/twilio/inbound';
  const res = await app.request('POST', '/webhooks/twilio/inbound', {
    form,
    headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, form) },
  });
  if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
  const m = await app
    .db('messages')
    .where({ dedupe_key: `sms_reply:${form.MessageSid}` })
    .first('body');
  return String(m?.body ?? '');
}

/** The Twilio auth token of smsTestApp: what a test signs its inbound texts with. */
export const SMS_TEST_TOKEN = 'test-twilio-auth-token-0123456789';

/** A test app that takes signed inbound texts (TWILIO_AUTH_TOKEN = SMS_TEST_TOKEN), with roomy intake limits. */
export function smsTestApp() {
  return startTestApp({ config: { TWILIO_AUTH_TOKEN: SMS_TEST_TOKEN }, intake: { limits: ROOMY_LIMITS } });
}
