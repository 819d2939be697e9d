// Behind a TLS-terminating proxy: Secure cookies without a 500, HSTS, and per-address limits that use the
// address the proxy saw only when TRUST_PROXY says the proxy is there.
import test from 'ava';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { nextPhone, ROOMY_LIMITS } from '../helpers/intake.js';

const apps: TestApp[] = [];
async function app(config: { publicUrl: string; TRUST_PROXY?: number }, codesPerIp = 100_000) {
  const a = await startTestApp({
    config,
    intake: { limits: { ...ROOMY_LIMITS, codesPerIp: { points: codesPerIp, seconds: 3600 } } },
  });
  apps.push(a);
  return a;
}
test.after.always(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

const fromProxy = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' };

async function askCode(a: TestApp, headers: Record<string, string>) {
  const res = await a.request('POST', '/api/identity/codes', {
    json: { channel: 'sms', phone: nextPhone(), birth_date: '1982-03-15' },
    headers,
  });
  return res.status;
}

test('with an https PUBLIC_URL behind a trusted proxy, pages that set cookies answer 200 with Secure cookies and HSTS', async (t) => {
  const a = await app({ publicUrl: 'https://apply.city.example', TRUST_PROXY: 1 });
  const page = await a.request('GET', '/dev/sms', { headers: { ...fromProxy, accept: 'text/html' } });
  t.is(page.status, 200, page.text.slice(0, 300));
  const cookies = page.headers.getSetCookie();
  t.true(cookies.length > 0);
  for (const c of cookies) t.regex(c, /;\s*secure/i, c);
  t.is(page.headers.get('strict-transport-security'), 'max-age=31536000');
  // staff sign-in sets its session cookie the same way
  const admin = await a.staff('admin');
  t.truthy(admin.token);
});

test('an https PUBLIC_URL with TRUST_PROXY off (a proxy that adds no headers) still sets Secure cookies, never 500', async (t) => {
  const a = await app({ publicUrl: 'https://apply.city.example' });
  const page = await a.request('GET', '/dev/sms', { headers: { accept: 'text/html' } });
  t.is(page.status, 200, page.text.slice(0, 300));
  for (const c of page.headers.getSetCookie()) t.regex(c, /;\s*secure/i, c);
  t.truthy(page.headers.get('strict-transport-security'));
});

test('a plain-http PUBLIC_URL sends no HSTS and no Secure cookies', async (t) => {
  const a = await app({ publicUrl: 'http://127.0.0.1:3000', TRUST_PROXY: 1 });
  const page = await a.request('GET', '/dev/sms', { headers: { ...fromProxy, accept: 'text/html' } });
  t.is(page.status, 200);
  t.is(page.headers.get('strict-transport-security'), null);
  for (const c of page.headers.getSetCookie()) t.notRegex(c, /secure/i, c);
});

test('behind a trusted proxy, per-address limits count the address the proxy appended, not what the client wrote', async (t) => {
  const a = await app({ publicUrl: 'https://apply.city.example', TRUST_PROXY: 1 }, 2);
  const client = (ip: string, spoofed?: string) => ({
    'x-forwarded-proto': 'https',
    'x-forwarded-for': spoofed ? `${spoofed}, ${ip}` : ip,
  });
  t.is(await askCode(a, client('203.0.113.7')), 202);
  t.is(await askCode(a, client('203.0.113.7')), 202);
  t.is(await askCode(a, client('203.0.113.7')), 429, 'the third from one address is refused');
  // writing another address in front does not reset the count: the proxy's own entry is the last one
  t.is(await askCode(a, client('203.0.113.7', '198.51.100.1')), 429);
  // another resident behind the same proxy has their own count
  t.is(await askCode(a, client('203.0.113.8')), 202);
});

test('with TRUST_PROXY off, X-Forwarded-For is ignored: a client cannot escape the per-address limit with it', async (t) => {
  const a = await app({ publicUrl: 'http://127.0.0.1:3000' }, 2);
  t.is(await askCode(a, { 'x-forwarded-for': '203.0.113.1' }), 202);
  t.is(await askCode(a, { 'x-forwarded-for': '203.0.113.2' }), 202);
  t.is(await askCode(a, { 'x-forwarded-for': '203.0.113.3' }), 429);
});
