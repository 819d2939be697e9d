// Sending through the real twilio client to a local stand-in, and through nodemailer to a real local
// SMTP server: retries of temporary errors, no retry of permanent ones, and no duplicate after a timeout.
import test from 'ava';
import { loadConfig } from '../../src/config.js';
import { channelsFromConfig } from '../../src/notify/channels.js';
import { enqueueNotice } from '../../src/notify/enqueue.js';
import type { NoticeRequest } from '../../src/notify/notice.js';
import type { NotifyWorker } from '../../src/notify/worker.js';
import { createTestDatabase, TEST_DATA_KEY, type TestDatabase } from '../helpers/db.js';
import { STANDIN_FROM, standInChannels, startTestWorker, waitFor } from '../helpers/notify.js';
import { type SmtpStandIn, startSmtpStandIn } from '../helpers/smtpStandIn.js';
import {
  STANDIN_SID,
  STANDIN_TOKEN,
  startTwilioStandIn,
  type TwilioStandIn,
} from '../helpers/twilioStandIn.js';

let database: TestDatabase;
let twilio: TwilioStandIn;
let smtp: SmtpStandIn;
let worker: NotifyWorker;
let n = 0;

test.before(async () => {
  database = await createTestDatabase();
  twilio = await startTwilioStandIn();
  smtp = await startSmtpStandIn();
  worker = await startTestWorker(
    database,
    standInChannels({ twilioUrl: twilio.url, smtpUrl: smtp.url, timeoutMs: 400 }),
  );
});
test.after.always(async () => {
  await worker?.stop();
  await twilio?.close();
  await smtp?.close();
  await database?.drop();
});

function sms(over: Partial<NoticeRequest> = {}): NoticeRequest {
  n++;
  return {
    kind: 'otp',
    channel: 'sms',
    to: `+8210${String(10_000_000 + n)}`,
    lang: 'ko',
    params: { code: String(100_000 + n), minutes: 5 },
    dedupeKey: `send-test:${n}`,
    ...over,
  };
}

/** A result notice by email (SMTP's messages). */
const email = (to: string): NoticeRequest => ({
  ...sms(),
  channel: 'email',
  to,
  kind: 'result_lost',
  params: { campaign: 'X', url: 'http://x' },
});

async function enqueue(notice: NoticeRequest): Promise<string> {
  return (await database.db.transaction((trx) => enqueueNotice(trx, notice, TEST_DATA_KEY))).messageId;
}

const message = (id: string) => database.db('messages').where({ id }).first();
const settled = (id: string) =>
  waitFor(`message ${id} to settle`, async () => {
    const m = await message(id);
    return ['sent', 'failed'].includes(m.status) ? m : undefined;
  });

test.serial(
  'an SMS goes through the real twilio client, authenticated, and is recorded sent with its sid',
  async (t) => {
    const notice = sms();
    const id = await enqueue(notice);
    const m = await settled(id);
    t.is(m.status, 'sent');
    t.is(m.attempts, 1);
    t.is(m.provider, 'twilio');
    const accepted = twilio.accepted.filter((a) => a.to === notice.to);
    t.is(accepted.length, 1);
    t.is(m.provider_id, accepted[0]?.sid);
    t.is(accepted[0]?.from, STANDIN_FROM);
    t.regex(accepted[0]?.body ?? '', new RegExp(String(notice.params.code)));
  },
);

test.serial('429 and 500 are temporary: retried with backoff until the provider accepts, once', async (t) => {
  twilio.plan('429', '500', '429');
  const notice = sms();
  const id = await enqueue(notice);
  const m = await settled(id);
  t.is(m.status, 'sent');
  t.is(m.attempts, 4);
  t.is(twilio.accepted.filter((a) => a.to === notice.to).length, 1);
  t.is(m.error_code, null);
});

test.serial('an invalid number (21211) is permanent: failed after one attempt, never retried', async (t) => {
  const before = twilio.requests;
  twilio.plan('21211');
  const id = await enqueue(sms());
  const m = await settled(id);
  t.is(m.status, 'failed');
  t.is(m.attempts, 1);
  t.is(m.error_code, 'twilio_21211');
  await new Promise((r) => setTimeout(r, 300)); // a retry would have come by now (backoff 20-100 ms)
  t.is(twilio.requests - before, 1);
  t.is((await message(id)).attempts, 1);
});

test.serial('temporary errors up to the attempt limit end as failed, with the last error kept', async (t) => {
  twilio.always('500');
  try {
    const id = await enqueue(sms());
    const m = await settled(id);
    t.is(m.status, 'failed');
    t.is(m.attempts, 4);
    t.is(m.error_code, 'twilio_20500');
    t.regex(m.error_message, /gave up after 4 attempts/);
  } finally {
    twilio.always(undefined);
  }
});

test.serial(
  'a timeout after the provider accepted is retried by asking first: the resident gets one SMS',
  async (t) => {
    twilio.plan('hang');
    const notice = sms();
    const id = await enqueue(notice);
    const m = await settled(id);
    t.is(m.status, 'sent');
    t.is(m.attempts, 2);
    const accepted = twilio.accepted.filter((a) => a.to === notice.to);
    t.is(accepted.length, 1, 'the second attempt found the first and did not send again');
    t.is(m.provider_id, accepted[0]?.sid);
    t.is(m.in_doubt_since, null);
  },
);

test.serial(
  'an email reaches a real SMTP server with a subject, a text part, an HTML part and our Message-ID',
  async (t) => {
    const before = smtp.received.length;
    const id = await enqueue({
      kind: 'result_won',
      channel: 'email',
      to: 'minji.park@example.org',
      lang: 'ko',
      params: {
        campaign: '12월 지역상품권',
        prize: '250,000원',
        site: '중앙시장 고객센터',
        pickup: '12월 3일 10:00-11:00',
        claim_code: 'K7Q-22M',
        url: 'http://127.0.0.1/r/1',
        result_url: 'http://127.0.0.1/campaigns/1/application',
      },
      dedupeKey: `send-test:email:${++n}`,
    });
    const m = await settled(id);
    t.is(m.status, 'sent');
    t.is(m.provider, 'smtp');
    await waitFor('the mail to arrive', async () => smtp.received.length > before);
    const mail = smtp.received.at(-1)!;
    t.is(mail.subject, '12월 지역상품권 당첨 안내');
    t.regex(mail.text ?? '', /수령번호: K7Q-22M/);
    t.regex(String(mail.html), /<p>수령 장소: 중앙시장 고객센터<\/p>/);
    t.is(mail.messageId, `<${id}@city.example>`);
    t.is(m.provider_id, `<${id}@city.example>`);
    t.deepEqual(
      (mail.to as { value: Array<{ address: string }> }).value.map((v) => v.address),
      ['minji.park@example.org'],
    );
  },
);

test.serial('SMTP 451 is retried, 550 fails for good', async (t) => {
  smtp.refuseNext(451);
  const retried = await enqueue(email('retry@example.org'));
  const a = await settled(retried);
  t.is(a.status, 'sent');
  t.is(a.attempts, 2);
  smtp.refuseNext(550);
  const refused = await enqueue(email('nobody@example.org'));
  const b = await settled(refused);
  t.is(b.status, 'failed');
  t.is(b.attempts, 1);
  t.is(b.error_code, 'smtp_550');
});

// Last: the workers below replace the one the tests above share.
const productionEnv = {
  NODE_ENV: 'production',
  SESSION_SECRET: '01'.repeat(32),
  IDENTITY_PEPPER: '02'.repeat(32),
  DATA_KEY: '03'.repeat(32),
  CLAIM_SIGNING_KEY: '04'.repeat(32),
  PUBLIC_URL: 'https://city.example',
};

test.serial(
  'production without Twilio or SMTP: each message fails for good as not configured, none is pretended sent',
  async (t) => {
    await worker.stop();
    worker = await startTestWorker(
      database,
      channelsFromConfig(loadConfig({ ...productionEnv, DATABASE_URL: database.url })),
    );
    const [accepted, received] = [twilio.accepted.length, smtp.received.length];
    const ids = [await enqueue(sms()), await enqueue(email('a@example.org'))];
    for (const id of ids) {
      const m = await settled(id);
      t.is(m.status, 'failed');
      t.is(m.error_code, 'channel_not_configured');
      t.is(m.attempts, 1);
    }
    t.is(twilio.accepted.length, accepted);
    t.is(smtp.received.length, received);
  },
);

test.serial(
  'configured from the environment: SMS by a messaging service without a status callback, email over SMTP',
  async (t) => {
    await worker.stop();
    const service = `MG${'a'.repeat(32)}`;
    worker = await startTestWorker(
      database,
      channelsFromConfig(
        loadConfig({
          ...productionEnv,
          DATABASE_URL: database.url,
          TWILIO_ACCOUNT_SID: STANDIN_SID,
          TWILIO_AUTH_TOKEN: STANDIN_TOKEN,
          TWILIO_MESSAGING_SERVICE_SID: service,
          TWILIO_API_BASE_URL: twilio.url,
          TWILIO_STATUS_CALLBACK: 'false',
          SMTP_URL: smtp.url,
          MAIL_FROM: 'notices@city.example',
        }),
      ),
    );
    const notice = sms();
    t.is((await settled(await enqueue(notice))).status, 'sent');
    const m = twilio.accepted.at(-1)!;
    t.is(m.to, notice.to);
    t.is(m.messagingServiceSid, service);
    t.is(m.from, undefined);
    t.is(m.statusCallback, undefined);
    const mail = await enqueue(email('b@example.org'));
    t.is((await settled(mail)).status, 'sent');
    const got = smtp.received.at(-1)!;
    t.is(got.from?.text, 'notices@city.example');
    t.regex(got.messageId ?? '', /@city\.example>?$/);
  },
);
