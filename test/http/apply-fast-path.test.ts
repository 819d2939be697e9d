// The API application's fast path (routes/applications/fastPath.ts) answers as the koa app does: the same
// statuses, bodies, error codes and headers, side by side with a server that has only the koa app; and what it
// does not handle (a cookie, another content type, a query) reaches the app.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { createApp } from '../../src/http/app.js';
import { applyFastRoute } from '../../src/http/routes/applications/fastPath.js';
import { withResidentFastPaths } from '../../src/http/routes/residentFastPath.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { openVoucherCampaign, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';

let app: TestApp;
let koaUrl: string;
let fastUrl: string;
let delegated = 0;
const servers: http.Server[] = [];

async function listen(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
  const koa = createApp(app.deps).callback();
  koaUrl = await listen(koa);
  fastUrl = await listen(
    withResidentFastPaths(app.deps, [applyFastRoute(app.deps)], (req, res) => {
      delegated++;
      koa(req, res);
    }),
  );
});
test.after.always(async () => {
  for (const s of servers) s.close();
  await app?.close();
});

interface Sent {
  body?: string;
  headers?: Record<string, string>;
  path?: string;
}

async function send(base: string, campaignId: string, token: string, o: Sent = {}) {
  const res = await fetch(`${base}${o.path ?? `/api/campaigns/${campaignId}/application`}`, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      'x-resident-token': token,
      ...o.headers,
    },
    body: o.body ?? JSON.stringify({ amount: 100_000 }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: JSON.parse(text) };
}

const HEADERS = [
  'content-type',
  'cache-control',
  'x-content-type-options',
  'referrer-policy',
  'x-frame-options',
  'strict-transport-security',
  'retry-after',
];

/** The same request to both servers (each with its own resident when `fresh`), compared field by field. */
async function compare(t: import('ava').ExecutionContext, label: string, o: Sent & { token?: string } = {}) {
  const c = await openVoucherCampaign(app);
  const [a, b] = [await verifyResident(app), await verifyResident(app)];
  const before = delegated;
  const viaKoa = await send(koaUrl, c.id, o.token ?? a.token, o);
  const viaFast = await send(fastUrl, c.id, o.token ?? b.token, o);
  t.is(viaFast.status, viaKoa.status, `${label}: status`);
  for (const h of HEADERS) t.is(viaFast.headers.get(h), viaKoa.headers.get(h), `${label}: ${h}`);
  t.truthy(viaFast.headers.get('x-request-id'), `${label}: x-request-id`);
  const strip = (j: { error?: { request_id?: string }; receipt?: Record<string, unknown> }) =>
    j.error ? { error: { ...j.error, request_id: undefined } } : Object.keys(j.receipt ?? {});
  t.deepEqual(strip(viaFast.json), strip(viaKoa.json), `${label}: body`);
  return { viaKoa, viaFast, delegated: delegated - before };
}

test.serial(
  'an application, and each refusal before the command, answer the same through the fast path',
  async (t) => {
    const ok = await compare(t, 'first application');
    t.is(ok.viaFast.status, 201);
    t.is(ok.delegated, 0, 'answered by the fast path');
    t.is(ok.viaFast.json.receipt.amount, 100_000);
    for (const [label, o, code] of [
      ['invalid JSON', { body: '{"amount":' }, 'invalid_json'],
      ['prototype poisoning', { body: '{"__proto__":{"x":1},"amount":100000}' }, 'invalid_json'],
      ['not an object', { body: '"amount"' }, 'invalid_json'],
      ['an empty body', { body: '' }, 'validation_failed'],
      ['a NUL in a field', { body: '{"amount":100000,"group":"a\\u0000"}' }, 'validation_failed'],
      ['an amount off the denomination', { body: '{"amount":15000}' }, 'validation_failed'],
      ['a bad token', { token: 'not.a.token' }, 'invalid_token'],
      [
        'a body over BODY_LIMIT',
        { body: JSON.stringify({ amount: 1, group: 'x'.repeat(200_000) }) },
        'payload_too_large',
      ],
    ] as const) {
      const r = await compare(t, label, o);
      t.is(r.viaFast.json.error?.code, code, label);
      t.is(r.delegated, 0, `${label}: answered by the fast path`);
    }
    const unknown = await compare(t, 'unknown campaign', {
      path: '/api/campaigns/00000000-0000-4000-8000-000000000000/application',
    });
    t.is(unknown.viaFast.status, 404);
  },
);

test.serial(
  'a second application is the same duplicate refusal with the first receipt; the request id is echoed',
  async (t) => {
    const c = await openVoucherCampaign(app);
    const r = await verifyResident(app);
    const first = await send(fastUrl, c.id, r.token);
    t.is(first.status, 201);
    const again = await send(fastUrl, c.id, r.token, { headers: { 'x-request-id': 'req-42' } });
    const viaKoa = await send(koaUrl, c.id, r.token);
    t.is(again.status, 409);
    t.is(again.json.error.code, 'duplicate_application');
    t.deepEqual(again.json.error.details, viaKoa.json.error.details);
    t.is(again.headers.get('x-request-id'), 'req-42');
    t.is(again.json.error.request_id, 'req-42');
    const counted = (await app.deps.metrics.requests.get()).values.filter(
      (v) => v.labels.route === '/api/campaigns/:id/application' && v.labels.status === '409',
    );
    t.true(counted.length === 1 && counted[0]!.value >= 2, 'refusals are counted under the route');
  },
);

test.serial('a cookie, a form, a query or no token go on to the app', async (t) => {
  for (const [label, o] of [
    ['a cookie', { headers: { cookie: 'lang=en' } }],
    ['a form', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'amount=100000' }],
    ['a query', { path: '' }],
    ['no token', { token: '' }],
  ] as const) {
    const c = await openVoucherCampaign(app);
    const r = await verifyResident(app);
    const before = delegated;
    const path = label === 'a query' ? `/api/campaigns/${c.id}/application?lang=en` : undefined;
    const res = await send(fastUrl, c.id, 'token' in o ? o.token : r.token, {
      ...o,
      ...(path ? { path } : {}),
    });
    t.is(delegated - before, 1, `${label}: went to the app`);
    t.true(res.status === 201 || res.status === 401, `${label}: ${res.status}`);
  }
});
