// A resident's text to the service: one signed Twilio inbound webhook, and the reply the service queued for it.
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { TestApp } from './app.js';

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
