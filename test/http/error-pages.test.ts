// A browser gets an error page in its language with the refusal's status and a way back; an API client gets
// the JSON error for the same refusal.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import Koa from 'koa';
import { errorHandler } from '../../src/http/errors.js';
import { languageMiddleware } from '../../src/http/middleware/language.js';
import { requestContext } from '../../src/http/middleware/requestContext.js';
import { htmlErrorPresenter } from '../../src/http/pages.js';
import { createLogger } from '../../src/logger.js';
import { type Reply, type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { type CookieSession, signInWithForm } from '../helpers/browserSession.js';
import { buildVoucherCampaign } from '../helpers/factories.js';

let app: TestApp;
let admin: StaffAuth;
let formAdmin: CookieSession;
let auditor: CookieSession;
const NO_SUCH = '00000000-0000-4000-8000-000000000000';

test.before(async () => {
  app = await startTestApp();
  admin = await app.staff('admin');
  formAdmin = await signInWithForm(app, 'admin');
  auditor = await signInWithForm(app, 'auditor');
});
test.after.always(async () => {
  await app?.close();
});

const page = (path: string, headers: Record<string, string> = {}) =>
  app.request('GET', path, { headers: { accept: 'text/html', ...headers } });

function isErrorPage(t: import('ava').ExecutionContext, r: Reply, status: number, lang: 'ko' | 'en') {
  t.is(r.status, status, r.text.slice(0, 200));
  t.regex(r.headers.get('content-type') ?? '', /^text\/html/);
  t.is(r.json, undefined, 'no JSON');
  t.regex(r.text, new RegExp(`<html lang="${lang}">`));
  t.regex(r.text, lang === 'ko' ? new RegExp(`오류 ${status}`) : new RegExp(`Error ${status}`));
  t.regex(r.text, /<a class="button primary" href="\/[a-z]*">/, 'a link home');
}

function isJsonError(t: import('ava').ExecutionContext, r: Reply, status: number, code: string) {
  t.is(r.status, status);
  t.regex(r.headers.get('content-type') ?? '', /^application\/json/);
  t.is(r.json.error.code, code);
  t.is(typeof r.json.error.message, 'string');
  t.is(typeof r.json.error.request_id, 'string');
}

test('404: a page in Korean, in English by ?lang=en or the cookie; JSON under /api and for JSON clients', async (t) => {
  const ko = await page(`/campaigns/${NO_SUCH}`);
  isErrorPage(t, ko, 404, 'ko');
  t.regex(ko.text, /페이지를 찾을 수 없습니다/);
  t.regex(ko.text, /찾는 페이지가 없습니다/);
  t.regex(ko.text, /href="\/">처음으로</);

  const en = await page(`/campaigns/${NO_SUCH}?lang=en`);
  isErrorPage(t, en, 404, 'en');
  t.regex(en.text, /Page not found/);
  t.regex(en.text, /There is no such page/);
  isErrorPage(t, await page('/nowhere', { cookie: 'lang=en' }), 404, 'en');

  isJsonError(t, await page(`/api/campaigns/${NO_SUCH}`), 404, 'not_found');
  const asked = await app.request('GET', `/campaigns/${NO_SUCH}`, {
    headers: { accept: 'application/json' },
  });
  isJsonError(t, asked, 404, 'not_found');
  t.deepEqual(Object.keys(asked.json.error), ['code', 'message', 'request_id']);
});

test('403: the wrong role gets a page in its language; the API answers JSON', async (t) => {
  const ko = await auditor.get('/admin/campaigns/new');
  isErrorPage(t, ko, 403, 'ko');
  t.regex(ko.text, /이 페이지를 볼 수 없습니다/);
  t.regex(ko.text, /href="\/admin">처음으로</, 'staff are sent to their own start page');
  const en = await auditor.get('/admin/campaigns/new?lang=en');
  isErrorPage(t, en, 403, 'en');
  t.regex(en.text, /Your role does not allow this/);

  const api = await app.request('POST', '/api/admin/campaigns', {
    as: await app.staff('auditor'),
    headers: { accept: 'text/html' },
    json: buildVoucherCampaign(app.clock.now()),
  });
  isJsonError(t, api, 403, 'forbidden');
});

test('409: a campaign that can no longer be edited; a link back to the page the person came from', async (t) => {
  const created = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: buildVoucherCampaign(app.clock.now()),
  });
  const id = created.json.campaign.id as string;
  t.is((await app.request('POST', `/api/admin/campaigns/${id}/cancel`, { as: admin, json: {} })).status, 200);

  const from = `${app.url}/admin/campaigns/${id}`;
  const ko = await app.request('GET', `/admin/campaigns/${id}/edit`, {
    headers: { accept: 'text/html', cookie: formAdmin.cookie, referer: from },
  });
  isErrorPage(t, ko, 409, 'ko');
  t.regex(ko.text, /지금은 할 수 없습니다/);
  t.regex(ko.text, /이미 시작된 사업은 수정할 수 없습니다/);
  t.regex(ko.text, new RegExp(`href="/admin/campaigns/${id}">이전 페이지로<`));

  const en = await app.request('GET', `/admin/campaigns/${id}/edit?lang=en`, {
    headers: { accept: 'text/html', cookie: formAdmin.cookie, referer: 'https://elsewhere.example/x' },
  });
  isErrorPage(t, en, 409, 'en');
  t.regex(en.text, /can no longer be edited/);
  t.notRegex(en.text, /elsewhere\.example|Back to the previous page/, 'no link back to another site');

  const api = await app.request('PUT', `/api/admin/campaigns/${id}`, {
    as: admin,
    json: { ...buildVoucherCampaign(app.clock.now()), version: 2 },
  });
  isJsonError(t, api, 409, 'campaign_not_editable');
});

test('500: our own failure is a page with its request number for a browser, the same JSON as before for the API', async (t) => {
  // The app's error edge around a route that fails the way a bug would (no route of the app fails on purpose).
  const logger = createLogger('silent');
  const koa = new Koa();
  koa.silent = true;
  koa.use(requestContext(logger));
  koa.use(languageMiddleware());
  koa.use(errorHandler(logger, htmlErrorPresenter));
  koa.use(() => {
    throw new Error('a bug');
  });
  const server = http.createServer(koa.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const html = await fetch(`${base}/campaigns?lang=en`, { headers: { accept: 'text/html' } });
    const text = await html.text();
    t.is(html.status, 500);
    t.regex(html.headers.get('content-type') ?? '', /^text\/html/);
    t.regex(text, /Something went wrong on our side/);
    t.regex(text, /Request number: [\w-]+/);
    t.notRegex(text, /a bug/, 'the cause stays in the log');

    const api = await fetch(`${base}/api/campaigns`, { headers: { accept: 'text/html' } });
    const body = await api.json();
    t.is(api.status, 500);
    t.deepEqual(Object.keys(body.error), ['code', 'message', 'request_id']);
    t.is(body.error.code, 'internal');
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('stale links: a campaign, site or staff member that is not there is a 404 page, and nothing changes', async (t) => {
  const created = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: buildVoucherCampaign(app.clock.now()),
  });
  const id = created.json.campaign.id as string;
  for (const site of ['ST-1', 'ST-2']) {
    const put = await app.request('PUT', `/api/admin/sites/${site}`, {
      as: admin,
      json: { name_ko: `약국 ${site}`, name_en: `Pharmacy ${site}`, district: '중구' },
    });
    t.true(put.status < 300, put.text);
  }
  for (const path of [
    `/admin/campaigns/${NO_SUCH}/edit`,
    `/admin/campaigns/${NO_SUCH}/groups`,
    `/admin/campaigns/${NO_SUCH}/slots`,
    `/admin/campaigns/${NO_SUCH}/draw`,
    `/admin/campaigns/${NO_SUCH}/pickups`,
    `/admin/campaigns/${NO_SUCH}/messages`,
    `/admin/campaigns/${NO_SUCH}/payments`,
    `/admin/campaigns/${id}/slots/site/NOPE`,
    '/admin/sites/NOPE/staff',
    '/counter', // an admin at the counter without choosing a site
  ]) {
    const res = await formAdmin.get(path);
    t.is(res.status, 404, path);
    t.regex(res.text, /찾는 페이지가 없습니다/, path);
  }
  for (const path of ['draw', 'messages']) {
    const res = await app.request('GET', `/api/admin/campaigns/${NO_SUCH}/${path}`, { as: admin });
    isJsonError(t, res, 404, 'not_found');
  }

  const gone = await formAdmin.post(`/admin/campaigns/${NO_SUCH}/schedule`, {});
  t.is(gone.status, 404, 'a state button for a campaign that is not there');
  t.regex(gone.text, /찾는 페이지가 없습니다/);

  // A member of another site cannot be disabled from this site's page.
  const other = await app.staff('site_staff', { site_id: 'ST-2' });
  const res = await formAdmin.post(`/admin/sites/ST-1/staff/${other.id}/disable`, {});
  t.is(res.status, 404);
  t.is((await app.db('staff').where({ id: other.id }).first()).disabled_at, null, 'still active');
  t.is(
    (await app.db('audit_log').where({ action: 'staff.disabled' })).length,
    0,
    'nothing audited as disabled',
  );
});

test('the way back is offered only to another page of ours, not to the same page or a malformed address', async (t) => {
  for (const referer of [`${app.url}/campaigns/${NO_SUCH}`, 'not an address']) {
    const res = await page(`/campaigns/${NO_SUCH}`, { referer });
    isErrorPage(t, res, 404, 'ko');
    t.notRegex(res.text, /이전 페이지로/, referer);
  }
  const from = await page(`/campaigns/${NO_SUCH}`, { referer: `${app.url}/campaigns` });
  t.regex(from.text, /href="\/campaigns">이전 페이지로</);
});
