// The two provider clients on their own, as the worker calls them: the twilio client (its own axios client
// behind a proxy, and our keep-alive one) against the local Twilio stand-in, nodemailer against a real local
// SMTP server. What goes out, and how a refusal comes back.
import test from 'ava';
import { type OutgoingMessage, PermanentError, TemporaryError } from '../../src/notify/channel.js';
import { smtpChannel } from '../../src/notify/smtpChannel.js';
import { twilioChannel } from '../../src/notify/twilioChannel.js';
import { STANDIN_FROM, waitFor } from '../helpers/notify.js';
import { type SmtpStandIn, startSmtpStandIn } from '../helpers/smtpStandIn.js';
import {
  STANDIN_SID,
  STANDIN_TOKEN,
  startTwilioStandIn,
  type TwilioStandIn,
} from '../helpers/twilioStandIn.js';

let twilio: TwilioStandIn;
let smtp: SmtpStandIn;
let n = 0;

test.before(async () => {
  twilio = await startTwilioStandIn();
  smtp = await startSmtpStandIn();
});
test.after.always(async () => {
  await twilio?.close();
  await smtp?.close();
});

/** A message as the worker hands it to a channel. */
const outgoing = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  id: `direct-${++n}`,
  channel: 'sms',
  to: `+8210${String(20_000_000 + n)}`,
  subject: null,
  body: `direct ${n}`,
  html: null,
  lang: 'ko',
  ...over,
});

test.serial(
  "behind a proxy (HTTP_PROXY) the library's own client sends, to TWILIO_API_BASE_URL still, with the status callback",
  async (t) => {
    const before = process.env.HTTP_PROXY;
    // The library's client tunnels only https through the proxy; the http stand-in is reached directly.
    process.env.HTTP_PROXY = 'http://127.0.0.1:9';
    const channel = twilioChannel({
      accountSid: STANDIN_SID,
      authToken: STANDIN_TOKEN,
      from: STANDIN_FROM,
      apiBaseUrl: twilio.url,
      statusCallback: 'https://city.example/webhooks/twilio/status',
      timeoutMs: 2000,
    });
    try {
      const since = new Date();
      const message = outgoing();
      const sent = await channel.send(message);
      const accepted = twilio.accepted.at(-1)!;
      t.is(accepted.sid, sent.providerId);
      t.is(accepted.to, message.to);
      t.is(accepted.statusCallback, 'https://city.example/webhooks/twilio/status');
      t.deepEqual(await channel.findAccepted!(message, since), sent, 'asked again, the provider has it');
      t.is(await channel.findAccepted!({ ...message, body: 'another body' }, since), undefined);
      const refused = await channel.send(outgoing({ to: '12345' })).catch((e: Error) => e);
      t.true(refused instanceof PermanentError);
      t.is((refused as PermanentError).code, 'twilio_21211');
    } finally {
      if (before === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = before;
      await channel.close?.();
    }
  },
);

test.serial(
  'asking Twilio whether it has a message, a refusal is an error to retry, never "not there" (which sends twice)',
  async (t) => {
    const channel = twilioChannel({
      accountSid: STANDIN_SID,
      authToken: 'not-the-token',
      from: STANDIN_FROM,
      apiBaseUrl: twilio.url,
      timeoutMs: 2000,
    });
    try {
      const sent = twilio.accepted.length;
      const err = await channel.findAccepted!(outgoing(), new Date()).catch((e: Error) => e);
      t.true(err instanceof TemporaryError);
      t.is((err as TemporaryError).code, 'twilio_20003');
      t.is(twilio.accepted.length, sent);
    } finally {
      await channel.close?.();
    }
  },
);

test.serial(
  'an email without a subject or an HTML part goes as plain text with an empty subject; a refusal is classified',
  async (t) => {
    const channel = smtpChannel({
      url: smtp.url,
      from: 'notices@city.example',
      poolSize: 1,
      timeoutMs: 2000,
      messageIdDomain: 'city.example',
    });
    try {
      const before = smtp.received.length;
      const message = outgoing({ channel: 'email', to: 'plain@example.org', body: '본문만 있는 안내' });
      const sent = await channel.send(message);
      t.is(sent.providerId, `<${message.id}@city.example>`);
      await waitFor('the mail to arrive', async () => smtp.received.length > before);
      const mail = smtp.received.at(-1)!;
      t.is(mail.subject ?? '', '');
      t.is(mail.text?.trim(), '본문만 있는 안내');
      t.is(mail.html, false, 'no HTML part');
      smtp.refuseNext(550);
      const refused = await channel
        .send(outgoing({ channel: 'email', to: 'x@example.org' }))
        .catch((e: Error) => e);
      t.true(refused instanceof PermanentError);
      t.is((refused as PermanentError).code, 'smtp_550');
    } finally {
      await channel.close?.();
    }
  },
);
