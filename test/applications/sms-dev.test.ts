// SMS applying without Twilio in development: with NODE_ENV not production and no TWILIO_AUTH_TOKEN the inbound
// webhook takes unsigned requests (and says so), and /dev/sms runs a typed text. In production, or with a token
// set, an unsigned request is still 403 and stores nothing, and /dev/sms is refused (production: does not exist).
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { openVoucherCampaign, ROOMY_LIMITS } from '../helpers/intake.js';

const sid = () => `SM${randomBytes(16).toString('hex')}`;
const apps: TestApp[] = [];
let dev: TestApp;
let prod: TestApp;
let devWithToken: TestApp;

test.before(async () => {
  dev = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
  prod = await startTestApp({
    config: { isProduction: true, NODE_ENV: 'production' },
    intake: { limits: ROOMY_LIMITS },
  });
  devWithToken = await startTestApp({
    config: { TWILIO_AUTH_TOKEN: 'a-real-token-0123456789abcdef' },
    intake: { limits: ROOMY_LIMITS },
  });
  apps.push(dev, prod, devWithToken);
});
test.after.always(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

const unsigned = (app: TestApp, params: Record<string, string>) =>
  app.request('POST', '/webhooks/twilio/inbound', { form: params });

test('development without a token: an unsigned inbound SMS applies, flagged as unchecked; a replay adds nothing', async (t) => {
  const c = await openVoucherCampaign(dev);
  const params = { MessageSid: sid(), From: '010-5550-7001', Body: `신청 ${c.code} 100000 19820315` };
  const res = await unsigned(dev, params);
  t.is(res.status, 200, res.text);
  t.is(res.headers.get('x-signature-check'), 'skipped');
  const rows = await dev.db('applications').where({ campaign_id: c.id });
  t.is(rows.length, 1);
  t.is(rows[0].channel, 'sms');
  const reply = await dev
    .db('messages')
    .where({ dedupe_key: `sms_reply:${params.MessageSid}` })
    .first();
  t.true(String(reply?.body).includes(rows[0].public_id));
  const again = await unsigned(dev, params);
  t.is(again.headers.get('x-replayed'), '1');
  t.is((await dev.db('applications').where({ campaign_id: c.id })).length, 1);
});

test('production without a token: an unsigned inbound SMS is 403 and stores nothing; no /dev/sms', async (t) => {
  const c = await openVoucherCampaign(prod);
  const params = { MessageSid: sid(), From: '010-5550-7002', Body: `신청 ${c.code} 100000 19820315` };
  const res = await unsigned(prod, params);
  t.is(res.status, 403);
  t.is(res.json.error.code, 'invalid_signature');
  t.is(res.headers.get('x-signature-check'), null);
  t.is((await prod.db('sms_inbound').where({ message_sid: params.MessageSid })).length, 0);
  t.is((await prod.db('applications').where({ campaign_id: c.id })).length, 0);
  const page = await prod.request('GET', '/dev/sms', { headers: { accept: 'text/html' } });
  t.is(page.status, 404);
  const post = await prod.request('POST', '/dev/sms', { form: { from: '010-5550-7002', body: 'HELP' } });
  t.is(post.status, 404);
});

test('development with a token set: signatures are checked as in production', async (t) => {
  const params = { MessageSid: sid(), From: '010-5550-7003', Body: 'HELP' };
  const res = await unsigned(devWithToken, params);
  t.is(res.status, 403);
  t.is((await devWithToken.db('sms_inbound').where({ message_sid: params.MessageSid })).length, 0);
});

test('development with a token set: /dev/sms is refused too (the webhook rule), and stores nothing', async (t) => {
  const page = await devWithToken.request('GET', '/dev/sms', { headers: { accept: 'text/html' } });
  t.is(page.status, 403);
  const before = await devWithToken.db('sms_inbound').count('* as n');
  const post = await devWithToken.request('POST', '/dev/sms', {
    form: { from: '010-5550-7004', body: 'HELP' },
    headers: { accept: 'application/json' },
  });
  t.is(post.status, 403);
  t.deepEqual(await devWithToken.db('sms_inbound').count('* as n'), before);
});

test('/dev/sms: type a text as if from a phone, see the reply (also queued for the outbox)', async (t) => {
  const c = await openVoucherCampaign(dev);
  const page = await dev.request('GET', '/dev/sms', { headers: { accept: 'text/html' } });
  t.is(page.status, 200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const refused = await dev.request('POST', '/dev/sms', {
    headers: { accept: 'text/html', cookie },
    form: { from: '010-5550-7004', body: `APPLY ${c.code} 50000 19820315` },
  });
  t.is(refused.status, 403, 'a form without its CSRF token is refused');
  t.is((await dev.db('applications').where({ campaign_id: c.id })).length, 0);

  const res = await dev.request('POST', '/dev/sms', {
    headers: { accept: 'text/html', cookie },
    form: { _csrf: csrf, from: '010-5550-7004', body: `APPLY ${c.code} 50000 19820315` },
  });
  t.is(res.status, 200, res.text);
  const row = await dev.db('applications').where({ campaign_id: c.id }).first();
  t.is(row.channel, 'sms');
  const reply = /<pre id="reply"[^>]*>([\s\S]*?)<\/pre>/.exec(res.text)?.[1] ?? '';
  t.true(reply.includes(row.public_id), reply);
  const queued = await dev
    .db('messages')
    .where({ kind: 'sms_reply' })
    .whereRaw('body LIKE ?', [`%${row.public_id}%`]);
  t.is(queued.length, 1);
});
