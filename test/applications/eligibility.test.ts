// Eligibility is checked when the application is made, on every channel: the web form, the JSON API, an SMS
// and a helper applying for someone. A refusal says why in plain words and creates nothing (no application,
// no receipt notice).
import { randomBytes } from 'node:crypto';
import test from 'ava';
import twilio from 'twilio';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { codeFor, nextPhone, openVoucherCampaign, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';

const TOKEN = 'test-twilio-auth-token-eligibility';
let app: TestApp;
test.before(async () => {
  app = await startTestApp({ config: { TWILIO_AUTH_TOKEN: TOKEN }, intake: { limits: ROOMY_LIMITS } });
});
test.after.always(async () => {
  await app?.close();
});

/** Born 1982 (44 on the test day): too young for a campaign from 100 years up. */
const BORN = '19820315';
const TOO_YOUNG_KO = '만 100세 이상만 신청할 수 있습니다.';

async function nothingCreated(t: import('ava').ExecutionContext, campaignId: string) {
  t.is((await app.db('applications').where({ campaign_id: campaignId })).length, 0, 'no application');
  t.is(
    (await app.db('messages').where({ campaign_id: campaignId, kind: 'receipt' })).length,
    0,
    'no receipt notice',
  );
}

const centenarians = () => openVoucherCampaign(app, { eligibility: { min_age: 100 } });

test('web form: a refused applicant reads why, and nothing is created', async (t) => {
  const c = await centenarians();
  const r = await verifyResident(app, { birth_date: BORN });
  const res = await app.request('POST', `/campaigns/${c.id}/apply`, {
    headers: { ...r.headers, accept: 'text/html' },
    form: { amount: '100000' },
  });
  t.is(res.status, 403, res.text.slice(0, 300));
  t.true(res.text.includes(TOO_YOUNG_KO), 'the page says why in plain words');
  await nothingCreated(t, c.id);
});

test('JSON API: not_eligible with the reason and its parameters, and nothing is created', async (t) => {
  const c = await centenarians();
  const r = await verifyResident(app, { birth_date: BORN });
  const res = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 100_000 },
  });
  t.is(res.status, 403, res.text);
  t.is(res.json.error.code, 'not_eligible');
  t.like(res.json.error.details, { reason: 'too_young', min_age: 100 });
  await nothingCreated(t, c.id);
});

test('JSON API: a region outside the campaign’s is refused with the regions it takes', async (t) => {
  const c = await openVoucherCampaign(app, { eligibility: { regions: ['중구', '동구'] } });
  const r = await verifyResident(app, { birth_date: BORN });
  const res = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 100_000, region: '서구' },
  });
  t.is(res.status, 403, res.text);
  t.like(res.json.error.details, { reason: 'region_not_eligible', regions: '중구, 동구' });
  await nothingCreated(t, c.id);
});

test('SMS: the reply says why in plain words, and nothing is created', async (t) => {
  const c = await centenarians();
  const url = 'http://127.0.0.1/webhooks/twilio/inbound';
  const params = {
    MessageSid: `SM${randomBytes(16).toString('hex')}`,
    From: '+821055508080',
    Body: `신청 ${c.code} 100000 ${BORN}`,
  };
  const res = await app.request('POST', '/webhooks/twilio/inbound', {
    form: params,
    headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, url, params) },
  });
  t.is(res.status, 200, res.text);
  const reply = await app
    .db('messages')
    .where({ dedupe_key: `sms_reply:${params.MessageSid}` })
    .first('body');
  t.true(String(reply?.body).includes(TOO_YOUNG_KO), String(reply?.body));
  const inbound = await app.db('sms_inbound').where({ message_sid: params.MessageSid }).first();
  t.is(inbound.outcome, 'not_eligible');
  await nothingCreated(t, c.id);
});

test('proxy, API and page: the person helped is refused with the reason, and nothing is created', async (t) => {
  const admin = await app.staff('admin');
  const helperPhone = nextPhone();
  const reg = await app.request('POST', '/api/admin/proxies', {
    as: admin,
    json: { phone: helperPhone, birth_date: '19700101', kind: 'staff', label: '행복센터', cap: 5 },
  });
  t.is(reg.status, 201, reg.text);
  const helper = (await verifyResident(app, { phone: helperPhone, birth_date: '19700101' })).headers;
  // The helper is 56 and the person helped is 86: only the person's own birth date decides.
  const c = await openVoucherCampaign(app, { eligibility: { max_age: 80 } });
  const sent = await app.request('POST', '/api/proxy/codes', {
    headers: helper,
    json: { phone: nextPhone(), birth_date: '19400202' },
  });
  t.is(sent.status, 202, sent.text);
  const v = await app.request('POST', '/api/proxy/verify', {
    headers: helper,
    json: { challenge_id: sent.json.challenge_id, code: await codeFor(app, sent.json.challenge_id) },
  });
  const subject_token = v.json.subject_token as string;
  const api = await app.request('POST', `/api/proxy/campaigns/${c.id}/applications`, {
    headers: helper,
    json: { subject_token, amount: 10_000 },
  });
  t.is(api.status, 403, api.text);
  t.is(api.json.error.code, 'not_eligible');
  t.like(api.json.error.details, { reason: 'too_old', max_age: 80 });

  const page = await app.request('POST', `/campaigns/${c.id}/proxy/apply`, {
    headers: { ...helper, accept: 'text/html', cookie: `proxy_subject=${subject_token}` },
    form: { amount: '10000' },
  });
  t.is(page.status, 403, page.text.slice(0, 300));
  t.true(page.text.includes('만 80세 이하만 신청할 수 있습니다.'), 'the page says why in plain words');
  await nothingCreated(t, c.id);
  t.is((await app.db('audit_log').where({ action: 'application.proxy_submitted' })).length, 0);
});
