// Delivery status callbacks (signed by Twilio), the admin's counts and retry, and the development outbox.

import test from 'ava';
import twilio from 'twilio';
import { markSent } from '../../src/db/repos/messageStatus.js';
import { addJobsForWaitingMessages } from '../../src/db/repos/messages.js';
import { enqueueNotice } from '../../src/notify/enqueue.js';
import type { NoticeRequest } from '../../src/notify/notice.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { TEST_DATA_KEY } from '../helpers/db.js';
import { buildVoucherCampaign } from '../helpers/factories.js';

const TOKEN = 'webhook-test-auth-token-0123';
const PATH = '/webhooks/twilio/status';
let app: TestApp;
let campaignId: string;
let n = 0;

test.before(async () => {
  app = await startTestApp({ config: { TWILIO_AUTH_TOKEN: TOKEN } });
  const admin = await app.staff('admin');
  const res = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: buildVoucherCampaign(app.clock.now()),
  });
  if (res.status !== 201) throw new Error(res.text);
  campaignId = res.json.campaign.id;
});
test.after.always(async () => {
  await app?.close();
});

function notice(over: Partial<NoticeRequest> = {}): NoticeRequest {
  n++;
  return {
    kind: 'result_lost',
    channel: 'sms',
    to: `+8210${String(30_000_000 + n)}`,
    lang: 'ko',
    params: { campaign: '12월 상품권', url: 'http://127.0.0.1/r' },
    dedupeKey: `http-test:${n}`,
    campaignId,
    ...over,
  };
}

async function sentMessage(): Promise<{ id: string; sid: string }> {
  const { messageId } = await app.db.transaction((trx) => enqueueNotice(trx, notice(), TEST_DATA_KEY));
  const sid = `SM${messageId.replace(/-/g, '')}`;
  await app.db('messages').where({ id: messageId }).update({ status: 'sending' });
  await markSent(app.db, messageId, 'twilio', sid);
  return { id: messageId, sid };
}

function callback(
  sid: string,
  status: string,
  opts: { signWith?: string; extra?: Record<string, string>; form?: Record<string, string> } = {},
) {
  const form = opts.form ?? {
    MessageSid: sid,
    SmsSid: sid,
    MessageStatus: status,
    SmsStatus: status,
    AccountSid: 'AC1',
    To: '+821000000000',
    ...opts.extra,
  };
  const signature = twilio.getExpectedTwilioSignature(
    opts.signWith ?? TOKEN,
    `http://127.0.0.1${PATH}`,
    form,
  );
  return app.request('POST', PATH, { form, headers: { 'x-twilio-signature': signature } });
}

const statusOf = async (id: string) => (await app.db('messages').where({ id }).first()).status;
const eventsOf = async (sid: string) => app.db('message_events').where({ provider_id: sid });

test('a callback with a bad signature is refused with 403 and stores nothing', async (t) => {
  const m = await sentMessage();
  const forged = await callback(m.sid, 'delivered', { signWith: 'not-the-token-at-all-000' });
  t.is(forged.status, 403);
  t.is(forged.json.error.code, 'invalid_signature');
  const unsigned = await app.request('POST', PATH, {
    form: { MessageSid: m.sid, MessageStatus: 'delivered' },
  });
  t.is(unsigned.status, 403);
  // Signed for other parameters than those sent: the body was changed on the way.
  const form = { MessageSid: m.sid, MessageStatus: 'delivered' };
  const signature = twilio.getExpectedTwilioSignature(TOKEN, `http://127.0.0.1${PATH}`, {
    ...form,
    MessageStatus: 'sent',
  });
  const tampered = await app.request('POST', PATH, { form, headers: { 'x-twilio-signature': signature } });
  t.is(tampered.status, 403);
  t.is(await statusOf(m.id), 'sent');
  t.deepEqual(await eventsOf(m.sid), []);
});

test('a callback with only the older SmsSid and SmsStatus names is read; one without a sid or status is refused', async (t) => {
  const m = await sentMessage();
  const older = await callback('', '', {
    form: { SmsSid: m.sid, SmsStatus: 'delivered', AccountSid: 'AC1' },
  });
  t.is(older.status, 204);
  t.is(await statusOf(m.id), 'delivered');
  const other = await sentMessage();
  for (const [form, field] of [
    [{ MessageStatus: 'delivered' }, 'MessageSid'],
    [{ MessageSid: other.sid }, 'MessageStatus'],
  ] as const) {
    const res = await callback('', '', { form });
    t.is(res.status, 422, field);
    t.truthy(res.json.error.fields[field], field);
  }
  const json = await app.request('POST', PATH, {
    json: { MessageSid: other.sid, MessageStatus: 'delivered' },
  });
  t.is(json.status, 403, 'Twilio signs forms only: a JSON body is not theirs');
  t.is(await statusOf(other.id), 'sent');
  t.deepEqual(await eventsOf(other.sid), []);
});

test('callbacks out of order never move a status backwards, and repeats are stored once', async (t) => {
  const m = await sentMessage();
  t.is((await callback(m.sid, 'delivered')).status, 204);
  t.is(await statusOf(m.id), 'delivered');
  t.is((await callback(m.sid, 'sent')).status, 204);
  t.is((await callback(m.sid, 'queued')).status, 204);
  t.is((await callback(m.sid, 'undelivered', { extra: { ErrorCode: '30003' } })).status, 204);
  t.is((await callback(m.sid, 'delivered')).status, 204);
  t.is(await statusOf(m.id), 'delivered');
  const events = await eventsOf(m.sid);
  t.deepEqual(events.map((e) => e.provider_status).sort(), ['delivered', 'queued', 'sent', 'undelivered']);
});

test('a failure reported by the carrier moves sent to undelivered with its error code', async (t) => {
  const m = await sentMessage();
  await callback(m.sid, 'undelivered', { extra: { ErrorCode: '30003' } });
  const row = await app.db('messages').where({ id: m.id }).first();
  t.is(row.status, 'undelivered');
  t.is(row.error_code, 'twilio_30003');
});

test('a callback that arrives before the worker recorded the sid is applied when it does', async (t) => {
  const { messageId } = await app.db.transaction((trx) => enqueueNotice(trx, notice(), TEST_DATA_KEY));
  const sid = `SMe${messageId.replace(/-/g, '').slice(1)}`;
  await app.db('messages').where({ id: messageId }).update({ status: 'sending' });
  t.is((await callback(sid, 'delivered')).status, 204);
  t.is(await statusOf(messageId), 'sending');
  await markSent(app.db, messageId, 'twilio', sid);
  t.is(await statusOf(messageId), 'delivered');
});

test('admins see counts by channel and status, and retry the failed ones', async (t) => {
  const admin = await app.staff('admin');
  const auditor = await app.staff('auditor');
  const failed = await app.db.transaction((trx) => enqueueNotice(trx, notice(), TEST_DATA_KEY));
  await app
    .db('messages')
    .where({ id: failed.messageId })
    .update({ status: 'failed', attempts: 3, error_code: 'twilio_21211' });
  await addJobsForWaitingMessages(app.db, 1000);
  await app.db.raw(`SELECT graphile_worker.remove_job(?)`, [`message:${failed.messageId}`]);

  const counts = await app.request('GET', `/api/admin/campaigns/${campaignId}/messages`, { as: auditor });
  t.is(counts.status, 200);
  t.true(counts.json.counts.total.failed >= 1);
  t.true(counts.json.counts.sms.failed >= 1);
  t.is(counts.json.counts.email.failed, 0);
  const listed = counts.json.recent_failures.find((f: { id: string }) => f.id === failed.messageId);
  t.regex(listed.to_masked, /^\+82\*+\d{4}$/);
  t.false(JSON.stringify(counts.json).includes('+8210'), 'no full number in the admin view');

  t.is(
    (
      await app.request('POST', `/api/admin/campaigns/${campaignId}/messages/retry`, {
        as: auditor,
        json: {},
      })
    ).status,
    403,
  );
  const retried = await app.request('POST', `/api/admin/campaigns/${campaignId}/messages/retry`, {
    as: admin,
    json: {},
  });
  t.is(retried.status, 200);
  t.true(retried.json.requeued >= 1);
  const row = await app.db('messages').where({ id: failed.messageId }).first();
  t.is(row.status, 'queued');
  t.is(row.attempts, 0);
  t.true(row.awaiting_job, 'handed back to the outbox');
  await addJobsForWaitingMessages(app.db, 1000);
  const jobs = await app.db.raw(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ?`, [
    `message:${failed.messageId}`,
  ]);
  t.is(jobs.rows[0].n, 1);
  const audit = await app.db('audit_log').where({ action: 'messages.retried' }).first();
  t.is(audit.subject, `campaign:${campaignId}`);
});

test('the development outbox lists recorded messages newest first, with the whole body', async (t) => {
  const older = await app.db.transaction((trx) =>
    enqueueNotice(
      trx,
      notice({ kind: 'otp', params: { code: '481516', minutes: 5 }, campaignId: null }),
      TEST_DATA_KEY,
    ),
  );
  const newer = await app.db.transaction((trx) =>
    enqueueNotice(
      trx,
      notice({ kind: 'otp', lang: 'en', params: { code: '234200', minutes: 5 }, campaignId: null }),
      TEST_DATA_KEY,
    ),
  );
  await app
    .db('messages')
    .where({ id: older.messageId })
    .update({ provider: 'outbox', status: 'sent', created_at: app.db.raw("now() - interval '1 minute'") });
  await app.db('messages').where({ id: newer.messageId }).update({ provider: 'outbox', status: 'sent' });
  const page = await app.request('GET', '/dev/outbox', { headers: { accept: 'text/html' } });
  t.is(page.status, 200);
  t.regex(page.text, /234200[\s\S]*481516/);
  t.false(page.text.includes('+8210'), 'recipients are masked even here');

  const prod = await startTestApp({
    database: app.database,
    config: { isProduction: true, NODE_ENV: 'production' },
  });
  try {
    t.is((await prod.request('GET', '/dev/outbox')).status, 404);
  } finally {
    await prod.close();
  }
});
