// Malformed, oversized and misdirected requests get clear errors and change nothing.
import test from 'ava';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { buildVoucherCampaign } from '../helpers/factories.js';

let app: TestApp;
let admin: StaffAuth;

test.before(async () => {
  app = await startTestApp();
  admin = await app.staff('admin');
});
test.after.always(async () => {
  await app?.close();
});

const snapshot = async () => ({
  campaigns: Number((await app.db('campaigns').count('* as n').first())?.n),
  audit: Number((await app.db('audit_log').count('* as n').first())?.n),
});

test.serial('malformed JSON is a 400 invalid_json and stores nothing', async (t) => {
  const before = await snapshot();
  const res = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    body: '{"code": "AB1", ',
    headers: { 'content-type': 'application/json' },
  });
  t.is(res.status, 400);
  t.is(res.json.error.code, 'invalid_json');
  t.deepEqual(await snapshot(), before);
});

test.serial('a body over the limit is a 413 payload_too_large and stores nothing', async (t) => {
  const before = await snapshot();
  const body = buildVoucherCampaign(app.clock.now(), { description_ko: 'x'.repeat(200_000) });
  const res = await app.request('POST', '/api/admin/campaigns', { as: admin, json: body });
  t.is(res.status, 413);
  t.is(res.json.error.code, 'payload_too_large');
  t.deepEqual(await snapshot(), before);
});

test.serial('an unsupported content type is refused', async (t) => {
  const res = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    body: '<campaign/>',
    headers: { 'content-type': 'application/xml' },
  });
  t.is(res.status, 415);
  t.is(res.json.error.code, 'unsupported_media_type');
});

test.serial('unknown and malformed ids are 404 not_found', async (t) => {
  for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' OR '1'='1"]) {
    const res = await app.request('GET', `/api/admin/campaigns/${encodeURIComponent(id)}`, { as: admin });
    t.is(res.status, 404, id);
    t.is(res.json.error.code, 'not_found');
    const post = await app.request('POST', `/api/admin/campaigns/${encodeURIComponent(id)}/schedule`, {
      as: admin,
      json: {},
    });
    t.is(post.status, 404, id);
  }
});

test.serial('a wrong method on a known route is 405', async (t) => {
  const res = await app.request('DELETE', '/api/campaigns', { as: admin });
  t.is(res.status, 405);
  t.is(res.json.error.code, 'method_not_allowed');
});

test.serial('a JSON array where an object is expected is a validation error', async (t) => {
  const before = await snapshot();
  const res = await app.request('POST', '/api/admin/campaigns', { as: admin, json: [1, 2, 3] });
  t.is(res.status, 422);
  t.deepEqual(await snapshot(), before);
});

// Routes read the body without a fallback (validate.ts bodyOf): the parser must never hand them nothing.
test.serial(
  'a bare JSON null or scalar is a 400 invalid_json; an empty body reaches the route as no fields',
  async (t) => {
    const before = await snapshot();
    for (const body of ['null', '42', '"text"']) {
      const res = await app.request('POST', '/api/admin/campaigns', {
        as: admin,
        body,
        headers: { 'content-type': 'application/json' },
      });
      t.is(res.status, 400, body);
      t.is(res.json.error.code, 'invalid_json', body);
    }
    const empty = await app.request('POST', '/api/admin/campaigns', { as: admin });
    t.is(empty.status, 422, 'nothing sent: every required field is named, not a crash');
    t.truthy(empty.json.error.fields.code);
    t.deepEqual(await snapshot(), before);
  },
);

test.serial('HTML clients get an error page in Korean by default, English on request', async (t) => {
  const ko = await app.request('GET', '/nowhere', { headers: { accept: 'text/html' } });
  t.is(ko.status, 404);
  t.regex(ko.text, /<html lang="ko">/);
  t.regex(ko.text, /찾는 페이지가 없습니다/);
  const en = await app.request('GET', '/nowhere?lang=en', { headers: { accept: 'text/html' } });
  t.regex(en.text, /There is no such page/);
});
