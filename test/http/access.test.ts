// Every staff route refuses anonymous callers (401) and the wrong roles (403), found by walking the router.
import test from 'ava';
import { signSessionToken } from '../../src/auth/sessionToken.js';
import { buildRouter } from '../../src/http/app.js';
import { type StaffAuth, startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';

let app: TestApp;
const as: Record<string, StaffAuth> = {};

test.before(async () => {
  app = await startTestApp();
  await app.db('sites').insert({ id: 'PH-X', name_ko: '약국', name_en: 'Pharmacy' });
  as.admin = await app.staff('admin');
  as.auditor = await app.staff('auditor');
  as.site_staff = await app.staff('site_staff', { site_id: 'PH-X' });
});
test.after.always(async () => {
  await app?.close();
});

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

/** Staff JSON routes of the app, with the roles each one admits (read = admin+auditor, write = admin). */
function staffApiRoutes() {
  const out: Array<{ method: string; path: string }> = [];
  for (const layer of buildRouter(app.deps).stack) {
    const path = String(layer.path);
    if (!/^\/api\/(admin|audit)\//.test(path)) continue;
    for (const method of layer.methods.filter((m) => m !== 'HEAD')) {
      out.push({ method, path: path.replace(/:id\b/g, SAMPLE_ID).replace(/:(\w+)/g, 'x') });
    }
  }
  return out;
}

test('the walk finds the staff routes (guards the guard)', (t) => {
  const routes = staffApiRoutes().map((r) => `${r.method} ${r.path}`);
  t.true(routes.length >= 8, routes.join('\n'));
  t.true(routes.includes('GET /api/audit/log'));
  t.true(routes.includes(`POST /api/admin/campaigns/${SAMPLE_ID}/schedule`));
});

test('every staff route answers 401 to an anonymous caller', async (t) => {
  for (const { method, path } of staffApiRoutes()) {
    const res = await app.request(method, path, { json: method === 'GET' ? undefined : {} });
    t.is(res.status, 401, `${method} ${path}`);
    t.is(res.json?.error?.code, 'unauthenticated', `${method} ${path}`);
  }
});

test('every staff route answers 403 to site staff, and every write answers 403 to an auditor', async (t) => {
  for (const { method, path } of staffApiRoutes()) {
    const body = method === 'GET' ? undefined : {};
    const staff = await app.request(method, path, { as: as.site_staff, json: body });
    t.is(staff.status, 403, `site_staff ${method} ${path}`);
    if (method !== 'GET') {
      const auditor = await app.request(method, path, { as: as.auditor, json: body });
      t.is(auditor.status, 403, `auditor ${method} ${path}`);
    }
  }
});

test('an auditor may read the audit log and campaigns', async (t) => {
  t.is((await app.request('GET', '/api/audit/log', { as: as.auditor })).status, 200);
  t.is((await app.request('GET', '/api/admin/campaigns', { as: as.auditor })).status, 200);
});

test('bad tokens are refused: garbage, wrong signature, expired, alg none, wrong audience', async (t) => {
  const now = app.clock.now();
  const wrongKey = await signSessionToken(
    Buffer.alloc(32, 9),
    'staff',
    { sub: as.admin!.id, role: 'admin' },
    now,
    600,
  );
  const expired = await signSessionToken(
    TEST_SECRETS.sessionSecret,
    'staff',
    { sub: as.admin!.id, role: 'admin' },
    new Date(now.getTime() - 86_400_000),
    600,
  );
  const otherAudience = await signSessionToken(
    TEST_SECRETS.sessionSecret,
    'resident',
    { sub: as.admin!.id },
    now,
    600,
  );
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: as.admin!.id, role: 'admin', iss: 'fair-allocation', aud: 'staff', exp: 9e9, iat: 1, jti: 'x' })}.`;
  for (const [name, token] of Object.entries({
    garbage: 'not-a-token',
    wrongKey,
    expired,
    otherAudience,
    none,
  })) {
    const res = await app.request('GET', '/api/admin/campaigns', {
      headers: { authorization: `Bearer ${token}` },
    });
    t.is(res.status, 401, name);
    t.is(res.json.error.code, 'invalid_token', name);
  }
});

test('a cookie session needs the CSRF token for writes', async (t) => {
  const cookie = `staff_session=${as.admin!.token}`;
  const without = await app.request('PUT', '/api/admin/sites/PH-Y', {
    headers: { cookie },
    json: { name_ko: '약국', name_en: 'Pharmacy' },
  });
  t.is(without.status, 403);
  t.is(without.json.error.code, 'csrf_failed');
  t.falsy(await app.db('sites').where({ id: 'PH-Y' }).first());
  const withToken = await app.request('PUT', '/api/admin/sites/PH-Y', {
    headers: { cookie, 'x-csrf-token': as.admin!.csrf },
    json: { name_ko: '약국', name_en: 'Pharmacy' },
  });
  t.is(withToken.status, 200);
});

test('wrong password and unknown account get the same answer', async (t) => {
  const a = await app.request('POST', '/api/staff/session', {
    json: { email: 'nobody@test.example', password: 'x' },
  });
  const staff = await app.db('staff').where({ id: as.admin!.id }).first();
  const b = await app.request('POST', '/api/staff/session', {
    json: { email: staff.email, password: 'wrong' },
  });
  t.is(a.status, 401);
  t.is(b.status, 401);
  t.deepEqual([a.json.error.code, a.json.error.message], [b.json.error.code, b.json.error.message]);
});
