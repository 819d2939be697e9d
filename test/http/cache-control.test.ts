// Answers with personal data are never cached: `Cache-Control: no-store` on every response to a request that
// carries a session, and on anything a route did not declare cacheable. Static files keep their caching.
import test from 'ava';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { nextPhone, openVoucherCampaign, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';

let app: TestApp;
let admin: StaffAuth;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
  admin = await app.staff('admin');
});
test.after.always(async () => {
  await app?.close();
});

const cacheOf = (r: { headers: Headers }) => r.headers.get('cache-control');

test("a resident's application, session and the pages they see are no-store", async (t) => {
  const c = await openVoucherCampaign(app);
  const r = await verifyResident(app, { phone: nextPhone() });
  const applied = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 10_000 },
  });
  t.is(applied.status, 201, applied.text);
  t.is(cacheOf(applied), 'no-store');
  const mine = await app.request('GET', `/api/campaigns/${c.id}/application`, { headers: r.headers });
  t.is(mine.status, 200);
  t.is(cacheOf(mine), 'no-store');
  const page = await app.request('GET', `/campaigns/${c.id}`, {
    headers: { cookie: `resident_session=${r.token}`, accept: 'text/html' },
  });
  t.is(page.status, 200);
  t.is(cacheOf(page), 'no-store', 'a page seen with a session is not kept');
});

test('verification answers (they hold a token) are no-store', async (t) => {
  const sent = await app.request('POST', '/api/identity/codes', {
    json: { channel: 'sms', phone: nextPhone(), birth_date: '19820315' },
  });
  t.is(cacheOf(sent), 'no-store');
});

test('staff answers are no-store', async (t) => {
  for (const path of ['/api/staff/session', '/api/admin/campaigns', '/api/audit/log']) {
    const res = await app.request('GET', path, { as: admin });
    t.is(res.status, 200, path);
    t.is(cacheOf(res), 'no-store', path);
  }
  const page = await app.request('GET', '/admin', {
    headers: { cookie: `staff_session=${admin.token}`, accept: 'text/html' },
  });
  t.is(cacheOf(page), 'no-store');
});

test('static files keep their own caching', async (t) => {
  const res = await app.request('GET', '/static/site.css', { as: admin });
  t.regex(cacheOf(res) ?? '', /public/);
});

test('every page names its icon, served as a static file; /favicon.ico is sent to it rather than a 404', async (t) => {
  const page = await app.request('GET', '/campaigns', { headers: { accept: 'text/html' } });
  t.regex(page.text, /<link rel="icon" href="\/static\/favicon.svg" type="image\/svg\+xml">/);
  const icon = await app.request('GET', '/static/favicon.svg');
  t.is(icon.status, 200);
  t.is(icon.headers.get('content-type'), 'image/svg+xml');
  t.regex(cacheOf(icon) ?? '', /public/);
  const old = await app.request('GET', '/favicon.ico');
  t.is(old.status, 301);
  t.is(old.headers.get('location'), '/static/favicon.svg');
});
