// A process with no database connection free in time refuses the request as `busy` (503, Retry-After), on koa's
// routes, its pages and the fast paths alike, writes nothing, and says so in its log once, not a line a request;
// before, each such request was a 500 "something went wrong" and clients tried again at once.
import test from 'ava';
import pino from 'pino';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { openVoucherCampaign, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';

const POOL = 2;
let database: TestDatabase;
let app: TestApp;
const lines: Array<{ level: number; msg: string; refused?: number }> = [];

test.before(async () => {
  database = await createTestDatabase(POOL, 300);
  const logger = pino({ level: 'warn' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  app = await startTestApp({ database, logger, intake: { limits: ROOMY_LIMITS, rulesTtlMs: 60_000 } });
});
test.after.always(async () => {
  await app?.close();
  await database?.drop();
});

test('with every connection held, requests are refused busy with Retry-After, and nothing is written', async (t) => {
  const c = await openVoucherCampaign(app);
  const resident = await verifyResident(app);
  // the campaign's rules read once, as a busy process has them cached
  t.is((await app.request('GET', `/api/campaigns/${c.id}`)).status, 200);
  const held = await Promise.all(Array.from({ length: POOL }, () => database.db.client.acquireConnection()));
  try {
    const api = await app.request('GET', '/api/campaigns');
    t.is(api.status, 503, api.text);
    t.is(api.headers.get('retry-after'), '2');
    t.like(api.json.error, { code: 'busy', details: { retry_after: 2 } });

    const page = await app.request('GET', '/campaigns', { headers: { accept: 'text/html' } });
    t.is(page.status, 503);
    t.regex(page.text, /오류 503/);

    // the application fast path, its write batched: refused as a whole, not retried call by call
    const apply = await app.request('POST', `/api/campaigns/${c.id}/application`, {
      headers: resident.headers,
      json: { amount: 50_000 },
    });
    t.is(apply.status, 503, apply.text);
    t.is(apply.headers.get('retry-after'), '2');
    t.is(apply.json.error.code, 'busy');
  } finally {
    for (const conn of held) await database.db.client.releaseConnection(conn);
  }
  t.is((await database.db('applications').where({ campaign_id: c.id })).length, 0, 'nothing written');
  const told = lines.filter((l) => /no database connection free/.test(l.msg));
  t.is(told.length, 1, 'one line for the lot');
  t.is(told[0]!.refused, 1, 'the first refusal is told at once; the rest wait for the next line');
  t.false(
    lines.some((l) => l.level >= 50),
    'no error logged: an overload is not a fault in the code',
  );

  const again = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: resident.headers,
    json: { amount: 50_000 },
  });
  t.is(again.status, 201, 'tried again once connections are free: applied');
});
