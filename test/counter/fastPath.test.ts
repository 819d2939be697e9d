// The press answered ahead of koa (http/routes/counter/fastPath.ts) answers as the app does: each request is
// sent to the route as it is (the fast path) and with a query string (which the fast path leaves to the app),
// and the two answers must agree on the status, the error code and the headers a client relies on.
import test from 'ava';
import { at } from '../draw/_scenario.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { counterScenario } from './_setup.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

const HEADERS = [
  'cache-control',
  'content-type',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
];

test.serial('the fast press and the app answer alike: refusals, errors and the collection', async (t) => {
  const sc = await counterScenario(app, { applicants: 60 });
  const [site0, site1] = sc.s.siteIds as [string, string];
  app.clock.set(at(63)); // both slots open
  const [staff0, staff1] = await sc.signIn();
  const auditor = await app.staff('auditor');
  const admin = await app.staff('admin');
  const [w1, w2, w3] = sc.winnersAt(site0);
  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
  const cases: Array<[string, Parameters<TestApp['request']>[2], string?]> = [
    ['a refused token', { ...bearer('not-a-token'), json: { code: await sc.codeOf(w1!.public_id) } }],
    ['an auditor', { as: auditor, json: { code: await sc.codeOf(w1!.public_id) } }],
    ["another site's staff", { as: staff1, json: { code: await sc.codeOf(w1!.public_id) } }],
    ['no code', { as: staff0, json: {} }],
    ['unstorable text', { as: staff0, json: { code: 'ABCD\u0000EFGH' } }],
    ['an unknown code', { as: staff0, json: { code: 'ZZZZZ-ZZZZZ' } }],
    [
      'offline_ref alone',
      { as: staff0, json: { code: await sc.codeOf(w1!.public_id), offline_ref: 'abcdefgh12' } },
    ],
    ['bad JSON', { as: staff0, body: '{"code":', headers: { 'content-type': 'application/json' } }],
    ['an unknown site', { as: staff0, json: { code: await sc.codeOf(w1!.public_id) } }, 'NOSITE'],
  ];
  for (const [what, o, site] of cases) {
    const path = `/api/sites/${site ?? site0}/collections`;
    const fast = await app.request('POST', path, o);
    const slow = await app.request('POST', `${path}?via=app`, o);
    t.true(fast.status >= 400, `${what}: ${fast.status}`);
    t.is(fast.status, slow.status, what);
    t.is(fast.json?.error?.code, slow.json?.error?.code, what);
    t.deepEqual(fast.json?.error?.fields, slow.json?.error?.fields, what);
    for (const h of HEADERS) t.is(fast.headers.get(h), slow.headers.get(h), `${what}: ${h}`);
    t.truthy(fast.headers.get('x-request-id'));
  }
  // a collection by each way, then each told by the other that it is spent
  for (const [first, then, w, as] of [
    ['', '?via=app', w1!, staff0],
    ['?via=app', '', w2!, admin],
  ] as const) {
    const path = `/api/sites/${site0}/collections`;
    const code = await sc.codeOf(w.public_id);
    const ok = await app.request('POST', path + first, { as, json: { code } });
    t.is(ok.status, 201, ok.text);
    t.is(ok.json.collection.public_id, w.public_id);
    const again = await app.request('POST', path + then, { as, json: { code } });
    t.is(again.status, 409, again.text);
    t.is(again.json.error.code, 'already_collected');
  }
  const fast = await app.request('POST', `/api/sites/${site0}/collections`, {
    as: staff0,
    json: { code: await sc.codeOf(w3!.public_id) },
  });
  const [v1, v2] = sc.winnersAt(site1);
  const other = await app.request('POST', `/api/sites/${site1}/collections?via=app`, {
    as: staff1,
    json: { code: await sc.codeOf(v1!.public_id) },
  });
  t.deepEqual(Object.keys(fast.json.collection).sort(), Object.keys(other.json.collection).sort());
  for (const h of HEADERS) t.is(fast.headers.get(h), other.headers.get(h), `201: ${h}`);
  t.is(fast.headers.get('cache-control'), 'no-store');
  const wrongSite = await app.request('POST', `/api/sites/${site0}/collections`, {
    as: staff0,
    json: { code: await sc.codeOf(v2!.public_id) },
  });
  t.is(wrongSite.status, 422, wrongSite.text);
  t.is(wrongSite.json.error.code, 'wrong_site');
});
