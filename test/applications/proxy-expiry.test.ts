// A helper's verification of the person they apply for is good for 10 minutes (stepped clock), and only then.
import test from 'ava';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { codeFor, nextPhone, openVoucherCampaign, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
});
test.after.always(async () => {
  await app?.close();
});

test.serial('a subject token applies at 9 min 59 s and is refused at 10 min', async (t) => {
  const admin = await app.staff('admin');
  const helperPhone = nextPhone();
  const reg = await app.request('POST', '/api/admin/proxies', {
    as: admin,
    json: { phone: helperPhone, birth_date: '19700101', kind: 'staff', label: '행복센터', cap: 5 },
  });
  t.is(reg.status, 201, reg.text);
  const helper = (await verifyResident(app, { phone: helperPhone, birth_date: '19700101' })).headers;
  const c = await openVoucherCampaign(app);
  const subject = async () => {
    const sent = await app.request('POST', '/api/proxy/codes', {
      headers: helper,
      json: { phone: nextPhone(), birth_date: '19400202' },
    });
    const v = await app.request('POST', '/api/proxy/verify', {
      headers: helper,
      json: { challenge_id: sent.json.challenge_id, code: await codeFor(app, sent.json.challenge_id) },
    });
    t.is(v.status, 200, v.text);
    return v.json as { subject_token: string; expires_at: string };
  };
  const verifiedAt = app.clock.now().getTime();
  const early = await subject();
  const late = await subject();
  t.is(new Date(early.expires_at).getTime() - verifiedAt, 10 * 60_000);
  const apply = (subject_token: string) =>
    app.request('POST', `/api/proxy/campaigns/${c.id}/applications`, {
      headers: helper,
      json: { subject_token, amount: 10_000 },
    });

  app.clock.set(new Date(verifiedAt + 10 * 60_000 - 1000));
  const inTime = await apply(early.subject_token);
  t.is(inTime.status, 201, inTime.text);

  app.clock.set(new Date(verifiedAt + 10 * 60_000));
  const tooLate = await apply(late.subject_token);
  t.is(tooLate.status, 401, tooLate.text);
  t.is(tooLate.json.error.code, 'invalid_token');
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 1);
});
