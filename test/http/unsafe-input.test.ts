// Input PostgreSQL cannot hold, or that misleads when shown to others, is a 422 naming the field, never a 500:
// NUL bytes, lone UTF-16 surrogates, dates PostgreSQL cannot store, weights and amounts past what the database
// and the draw hold, and bidirectional override characters in names. Every route is walked with such input.
import test from 'ava';
import { buildRouter } from '../../src/http/app.js';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { buildVoucherCampaign } from '../helpers/factories.js';
import { openVoucherCampaign, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';

let app: TestApp;
let admin: StaffAuth;

test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
  admin = await app.staff('admin');
});
test.after.always(async () => {
  await app?.close();
});

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

function routes() {
  const out: Array<{ method: string; path: string }> = [];
  for (const layer of buildRouter(app.deps).stack) {
    const path = String(layer.path);
    for (const method of layer.methods.filter((m) => m !== 'HEAD')) out.push({ method, path });
  }
  return out;
}

test('a NUL byte in a path id is 422 naming the parameter', async (t) => {
  const res = await app.request('GET', '/api/sites/A%00B');
  t.is(res.status, 422, res.text);
  t.is(res.json.error.code, 'validation_failed');
  t.truthy(res.json.error.fields.id);
});

test('every route with a parameter answers 422 (never 500) to a NUL in it, signed in or not', async (t) => {
  let walked = 0;
  for (const { method, path } of routes()) {
    if (!path.includes(':')) continue;
    const bad = path.replace(/:(\w+)/g, 'A%00B');
    for (const as of [undefined, admin]) {
      const res = await app.request(method, bad, { json: method === 'GET' ? undefined : {}, as });
      t.is(res.status, 422, `${method} ${bad}: ${res.text.slice(0, 200)}`);
      walked++;
    }
  }
  t.true(walked > 20, `walked ${walked}`);
});

test('every route that takes a body answers 422 (never 500) to NUL or a lone surrogate in any field', async (t) => {
  const fields = ['title_ko', 'name_ko', 'region', 'phone', 'email', 'beacon', 'label', 'Body', 'body'];
  for (const { method, path } of routes()) {
    if (method === 'GET' || method === 'DELETE') continue;
    const url = path.replace(/:id\b/g, SAMPLE_ID).replace(/:(\w+)/g, 'x');
    for (const value of ['A\u0000B', 'A\uD800B']) {
      const json = Object.fromEntries(fields.map((f) => [f, value]));
      const res = await app.request(method, url, {
        json,
        as: admin,
        headers: { 'x-csrf-token': admin.csrf },
      });
      t.is(res.status, 422, `${method} ${url}: ${res.text.slice(0, 200)}`);
    }
  }
});

test('a NUL in a query value is 422 naming it', async (t) => {
  const res = await app.request('GET', '/api/sites?district=A%00B');
  t.is(res.status, 422);
  t.truthy(res.json.error.fields.district);
});

test('a NUL in a body key or in a path no route names is 422 naming where; a malformed escape is a plain 404', async (t) => {
  const before = Number((await app.db('campaigns').count('* as n').first())?.n);
  const key = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    body: JSON.stringify({ ...buildVoucherCampaign(app.clock.now()), 'ti\u0000tle': 'x' }),
    headers: { 'content-type': 'application/json' },
  });
  t.is(key.status, 422, key.text);
  t.truthy(key.json.error.fields['ti?tle'], 'the key named, its NUL shown as ?');
  t.is(Number((await app.db('campaigns').count('* as n').first())?.n), before, 'nothing stored');
  const nowhere = await app.request('GET', '/nowhere/A%00B');
  t.is(nowhere.status, 422);
  t.truthy(nowhere.json.error.fields.path, 'no route names it: the path');
  for (const path of ['/campaigns/%E0%A4%A', '/api/sites/%ZZ']) {
    const res = await app.request('GET', path);
    t.is(res.status, 404, path);
    t.is(res.json.error.code, 'not_found', path);
  }
});

const create = (overrides: Record<string, unknown>) =>
  app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: buildVoucherCampaign(app.clock.now(), overrides),
  });

test('campaign names: NUL, a lone surrogate (raw JSON escape) and bidi overrides are refused by field', async (t) => {
  const nul = await create({ title_ko: '상품권\u0000' });
  t.is(nul.status, 422);
  t.truthy(nul.json.error.fields.title_ko);
  const raw = JSON.stringify(buildVoucherCampaign(app.clock.now())).replace(
    '"Test vouchers"',
    '"Test \\udc00"',
  );
  const surrogate = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    body: raw,
    headers: { 'content-type': 'application/json' },
  });
  t.is(surrogate.status, 422, surrogate.text);
  t.truthy(surrogate.json.error.fields.title_en);
  for (const ch of [
    '\u202A',
    '\u202B',
    '\u202C',
    '\u202D',
    '\u202E',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
  ]) {
    const res = await create({ title_en: `Vouchers ${ch}gro.elpmaxe` });
    t.is(res.status, 422, `U+${ch.charCodeAt(0).toString(16)}`);
    t.truthy(res.json.error.fields.title_en);
  }
  const group = await create({ groups: [{ name: `senior\u202E`, reserved: 0 }] });
  t.truthy(group.json.error?.fields?.['groups.0.name']);
  t.falsy(await app.db('campaigns').whereLike('title_en', 'Vouchers %').first(), 'nothing was created');
});

test('dates PostgreSQL cannot hold, and far-off ones, are 422 naming the field', async (t) => {
  for (const opens_at of ['-004714-11-24T00:00:00Z', '+275760-09-13T00:00:00Z', '1899-12-31T00:00:00Z']) {
    const res = await create({ opens_at });
    t.is(res.status, 422, `${opens_at}: ${res.text}`);
    t.truthy(res.json.error.fields.opens_at, opens_at);
  }
});

test('weights and amounts past what the database and the draw hold are 422 naming the field', async (t) => {
  const weight = await create({ groups: [{ name: 'senior', reserved: 0, weight: 10 ** 15 }] });
  t.is(weight.status, 422);
  t.truthy(weight.json.error.fields['groups.0.weight']);
  for (const field of ['total', 'per_person_max', 'denomination']) {
    const res = await create({ [field]: 10 ** 15 });
    t.is(res.status, 422, field);
    t.truthy(res.json.error.fields[field], field);
  }
});

test('site names: NUL and bidi overrides are refused by field', async (t) => {
  const nul = await app.request('PUT', '/api/admin/sites/PH-Z', {
    as: admin,
    json: { name_ko: '약국\u0000', name_en: 'Pharmacy' },
  });
  t.is(nul.status, 422);
  t.truthy(nul.json.error.fields.name_ko);
  const bidi = await app.request('PUT', '/api/admin/sites/PH-Z', {
    as: admin,
    json: { name_ko: '약국', name_en: 'Pharmacy \u2067evil' },
  });
  t.is(bidi.status, 422);
  t.truthy(bidi.json.error.fields.name_en);
  t.falsy(await app.db('sites').where({ id: 'PH-Z' }).first());
});

test("a resident's region with a NUL, or an absurd amount, is 422 and applies nothing", async (t) => {
  const c = await openVoucherCampaign(app, { code: 'NULREG' });
  const r = await verifyResident(app);
  const region = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 10_000, region: '중구\u0000' },
  });
  t.is(region.status, 422, region.text);
  t.truthy(region.json.error.fields.region);
  const amount = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 10 ** 20 },
  });
  t.is(amount.status, 422, amount.text);
  t.truthy(amount.json.error.fields.amount);
  t.is(Number((await app.db('applications').count('* as n'))[0]!.n), 0);
});
