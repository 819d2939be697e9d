// Staff sessions are rows, checked at most once a second per process: sign-out (with its CSRF token), a
// password change and disabling the account each make a token stop working at once; a revocation this process
// did not make (its row alone) within that second. A bad bearer token on a public page is ignored.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { SignJWT } from 'jose';
import { STAFF_SESSION_RECHECK_MS } from '../../src/commands/staffSessionCheck.js';
import { type StaffAuth, startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

const whoAmI = (as: StaffAuth) => app.request('GET', '/api/staff/session', { as });
const cookieOf = (as: StaffAuth) => ({ cookie: `staff_session=${as.token}` });

test('sign-out by the API ends the token itself, not just the cookie', async (t) => {
  const admin = await app.staff('admin');
  t.is((await whoAmI(admin)).status, 200);
  const out = await app.request('DELETE', '/api/staff/session', { as: admin });
  t.is(out.status, 204);
  const after = await app.request('GET', '/api/admin/campaigns', { as: admin });
  t.is(after.status, 401);
  t.is(after.json.error.code, 'invalid_token');
});

test('the sign-out form needs the CSRF token; with it the cookie token stops working', async (t) => {
  const admin = await app.staff('admin');
  const forged = await app.request('POST', '/staff/logout', { headers: cookieOf(admin), form: {} });
  t.is(forged.status, 403);
  t.is((await whoAmI(admin)).status, 200, 'a forged sign-out changes nothing');
  const out = await app.request('POST', '/staff/logout', {
    headers: cookieOf(admin),
    form: { _csrf: admin.csrf },
  });
  t.is(out.status, 302);
  t.is((await whoAmI(admin)).status, 401);
  const page = await app.request('GET', '/admin', { headers: { ...cookieOf(admin), accept: 'text/html' } });
  t.is(page.status, 303, 'the old cookie is a signed-out visitor');
});

test('the sign-out button on pages carries the CSRF token', async (t) => {
  const admin = await app.staff('admin');
  const page = await app.request('GET', '/admin', { headers: { ...cookieOf(admin), accept: 'text/html' } });
  t.is(page.status, 200);
  t.regex(
    page.text,
    new RegExp(`action="/staff/logout"[^>]*><input type="hidden" name="_csrf" value="${admin.csrf}"`),
  );
});

test('a password change ends every session of the account', async (t) => {
  const auditor = await app.staff('auditor');
  const row = await app.db('staff').where({ id: auditor.id }).first();
  const second = await app.request('POST', '/api/staff/session', {
    json: { email: row.email, password: 'correct horse battery staple' },
  });
  t.is(second.status, 200);
  const wrong = await app.request('POST', '/api/staff/password', {
    as: auditor,
    json: { current_password: 'not it', new_password: 'a brand new passphrase' },
  });
  t.is(wrong.status, 401);
  const changed = await app.request('POST', '/api/staff/password', {
    as: auditor,
    json: { current_password: 'correct horse battery staple', new_password: 'a brand new passphrase' },
  });
  t.is(changed.status, 204);
  t.is((await whoAmI(auditor)).status, 401);
  const other = await app.request('GET', '/api/staff/session', {
    headers: { authorization: `Bearer ${second.json.token}` },
  });
  t.is(other.status, 401, 'the session on another device ends too');
  const again = await app.request('POST', '/api/staff/session', {
    json: { email: row.email, password: 'a brand new passphrase' },
  });
  t.is(again.status, 200);
  t.truthy(
    await app
      .db('audit_log')
      .where({ action: 'staff.password_changed', subject: `staff:${auditor.id}` })
      .first(),
  );
});

test('disabling an account ends its sessions; only admins may, and not themselves', async (t) => {
  const admin = await app.staff('admin');
  const site = await app.staff('auditor');
  t.is((await whoAmI(site)).status, 200);
  const byAuditor = await app.request('POST', `/api/admin/staff/${admin.id}/disable`, { as: site });
  t.is(byAuditor.status, 403);
  t.is((await app.request('POST', `/api/admin/staff/${admin.id}/disable`, { as: admin })).status, 409);
  const done = await app.request('POST', `/api/admin/staff/${site.id}/disable`, { as: admin });
  t.is(done.status, 204);
  t.is((await whoAmI(site)).status, 401);
  const row = await app.db('staff').where({ id: site.id }).first();
  const signIn = await app.request('POST', '/api/staff/session', {
    json: { email: row.email, password: 'correct horse battery staple' },
  });
  t.is(signIn.status, 401);
});

test('a session revoked by another process (its row alone) stops working within the recheck bound', async (t) => {
  const admin = await app.staff('admin');
  t.is((await whoAmI(admin)).status, 200);
  const { jti } = JSON.parse(Buffer.from(admin.token.split('.')[1]!, 'base64url').toString());
  await app.db('staff_sessions').where({ id: jti }).update({ revoked_at: app.clock.now() });
  t.is((await whoAmI(admin)).status, 200, 'checked less than a second ago: not read again yet');
  app.clock.advance(STAFF_SESSION_RECHECK_MS);
  const after = await app.request('GET', '/api/admin/campaigns', { as: admin });
  t.is(after.status, 401);
  t.is(after.json.error.code, 'invalid_token');
});

test('an invalid bearer token is ignored on public pages and refused on staff routes', async (t) => {
  const headers = { authorization: 'Bearer not.a.token' };
  t.is((await app.request('GET', '/api/campaigns', { headers })).status, 200);
  t.is(
    (await app.request('GET', '/campaigns', { headers: { ...headers, accept: 'text/html' } })).status,
    200,
  );
  const staffRoute = await app.request('GET', '/api/admin/campaigns', { headers });
  t.is(staffRoute.status, 401);
  t.is(staffRoute.json.error.code, 'invalid_token');
});

test('a token signed with the right secret but never issued as a session is refused', async (t) => {
  const admin = await app.staff('admin');
  for (const jti of [randomUUID(), 'not-a-uuid']) {
    const token = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('fair-allocation')
      .setAudience('staff')
      .setSubject(admin.id)
      .setJti(jti)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(TEST_SECRETS.sessionSecret);
    const res = await app.request('GET', '/api/admin/campaigns', {
      headers: { authorization: `Bearer ${token}` },
    });
    t.is(res.status, 401, jti);
    t.is(res.json.error.code, 'invalid_token');
  }
});
