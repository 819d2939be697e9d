// Proxies: a registered helper applies for someone with that person's code, up to a cap, marked and audited.
import test from 'ava';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  nextPhone,
  openVoucherCampaign,
  proxySubjectToken,
  ROOMY_LIMITS,
  verifyResident,
} from '../helpers/intake.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
});
test.after.always(async () => {
  await app?.close();
});

const subjectToken = (helper: Record<string, string>, phone: string) => proxySubjectToken(app, helper, phone);

test('helper applies for two people, the cap stops the third; each is channel proxy and audited', async (t) => {
  const admin = await app.staff('admin');
  const helperPhone = nextPhone();
  const reg = await app.request('POST', '/api/admin/proxies', {
    as: admin,
    json: { phone: helperPhone, birth_date: '19700101', kind: 'staff', label: '행복센터', cap: 2 },
  });
  t.is(reg.status, 201, reg.text);
  const helper = (await verifyResident(app, { phone: helperPhone, birth_date: '19700101' })).headers;
  const c = await openVoucherCampaign(app);
  for (let i = 0; i < 2; i++) {
    const subject_token = await subjectToken(helper, nextPhone());
    const res = await app.request('POST', `/api/proxy/campaigns/${c.id}/applications`, {
      headers: helper,
      json: { subject_token, amount: 10_000 },
    });
    t.is(res.status, 201, res.text);
    t.is(res.json.receipt.channel, 'proxy');
  }
  const third = await app.request('POST', `/api/proxy/campaigns/${c.id}/applications`, {
    headers: helper,
    json: { subject_token: await subjectToken(helper, nextPhone()), amount: 10_000 },
  });
  t.is(third.status, 409);
  t.is(third.json.error.code, 'proxy_cap_reached');
  const rows = await app.db('applications').where({ campaign_id: c.id });
  t.is(rows.length, 2);
  t.true(rows.every((r) => r.channel === 'proxy' && r.proxy_id === reg.json.proxy.id));
  const audit = await app
    .db('audit_log')
    .where({ action: 'application.proxy_submitted', subject: `campaign:${c.id}` });
  t.is(audit.length, 2);
});

test('an unregistered resident cannot act as a helper; a self-verification code is not a proxy proof', async (t) => {
  const someone = await verifyResident(app);
  const res = await app.request('POST', '/api/proxy/codes', {
    headers: someone.headers,
    json: { phone: nextPhone(), birth_date: '19400202' },
  });
  t.is(res.status, 403);
  t.is(res.json.error.code, 'not_a_proxy');
  const c = await openVoucherCampaign(app);
  const misuse = await app.request('POST', `/api/proxy/campaigns/${c.id}/applications`, {
    headers: someone.headers,
    json: { subject_token: someone.token, amount: 10_000 },
  });
  t.is(misuse.status, 403);
});

test('the intake view counts per channel and group; only admins see it', async (t) => {
  const c = await openVoucherCampaign(app);
  const r = await verifyResident(app);
  await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 10_000 },
  });
  const admin = await app.staff('admin');
  const res = await app.request('GET', `/api/admin/campaigns/${c.id}/intake`, { as: admin });
  t.is(res.status, 200, res.text);
  t.is(res.json.total, 1);
  t.deepEqual(res.json.per_channel, [{ channel: 'api', count: 1 }]);
  t.is(res.json.per_hour.length, 1);
  const auditor = await app.staff('auditor');
  t.is((await app.request('GET', `/api/admin/campaigns/${c.id}/intake`, { as: auditor })).status, 403);
  const page = await app.request('GET', `/admin/campaigns/${c.id}/intake`, {
    as: admin,
    headers: { accept: 'text/html' },
  });
  t.is(page.status, 200);
  t.true(page.text.includes('신청 현황'));
});
