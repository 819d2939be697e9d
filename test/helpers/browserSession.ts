// A staff member signed in through the HTML form, carrying the session cookie like a browser would.
import { decodeJwt } from 'jose';
import type { Browser, BrowserContext } from 'playwright-core';
import { addStaff } from '../../src/commands/staffAccounts.js';
import type { StaffRole } from '../../src/db/repos/staff.js';
import { csrfTokenFor } from '../../src/http/middleware/staffAuth.js';
import { type Reply, TEST_SECRETS, type TestApp } from './app.js';

export interface CookieSession {
  role: StaffRole;
  id: string;
  cookie: string;
  /** GET a page as this person (HTML) */
  get(path: string): Promise<Reply>;
  /** POST a form as this person; the CSRF token is added unless given (pass _csrf: '' to leave it out) */
  post(path: string, form: Record<string, string>): Promise<Reply>;
  csrf(): string;
}

let counter = 0;

export async function signInWithForm(
  app: TestApp,
  role: StaffRole,
  opts: { site_id?: string } = {},
): Promise<CookieSession> {
  const email = `form-${role}${++counter}-${Date.now()}@test.example`;
  const password = 'correct horse battery staple';
  const { staff } = await addStaff(
    { db: app.db, clock: app.clock },
    { kind: 'system', name: 'test' },
    { email, role, site_id: opts.site_id, password },
  );
  const res = await app.request('POST', '/staff/login', {
    form: { email, password },
    headers: { accept: 'text/html' },
  });
  if (res.status !== 302 && res.status !== 303) throw new Error(`form sign-in failed: ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '')
    .split(/,(?=\s*\w+=)/)
    .map((c) => c.split(';')[0]!.trim())
    .filter((c) => c.startsWith('staff_session='))
    .join('; ');
  if (!cookie) throw new Error('no session cookie');
  const headers = { accept: 'text/html', cookie };
  const session: CookieSession = {
    role,
    id: staff.id,
    cookie,
    get: (path) => app.request('GET', path, { headers }),
    // What the server puts in every form's _csrf field for this session.
    csrf: () =>
      csrfTokenFor(TEST_SECRETS.sessionSecret, decodeJwt(cookie.slice('staff_session='.length)).jti!),
    async post(path, form) {
      const body = '_csrf' in form ? form : { ...form, _csrf: session.csrf() };
      if (body._csrf === '') delete body._csrf;
      return app.request('POST', path, { headers, form: body });
    },
  };
  return session;
}

/** A browser context carrying `session`'s cookie on the app's host, in Korean unless said; `width`: a phone below 500. */
export async function staffBrowserContext(
  browser: Browser,
  app: Pick<TestApp, 'url'>,
  session: CookieSession,
  locale = 'ko-KR',
  width?: number,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale,
    ...(width ? { viewport: { width, height: 800 }, isMobile: width < 500 } : {}),
  });
  const [name, value] = session.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: app.url }]);
  return context;
}
