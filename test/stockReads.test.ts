// The public stock reads in their own process (STOCK_PORT): npm start forks it, it answers what the service's
// route answers (a 404 for an unknown or private campaign), it sees a collection within a second, and it stops
// with the service.
import fs from 'node:fs';
import net from 'node:net';
import test from 'ava';
import { counterScenario } from './counter/_setup.js';
import { at } from './draw/_scenario.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { scheduledLottery } from './helpers/draw.js';
import { failureReport, PROCESS_TEST_MS, startService, tempDataDir } from './helpers/serviceProcess.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

const read = async (base: string, id: string) => {
  const res = await fetch(`${base}/api/campaigns/${id}/stock`);
  return { res, json: (await res.json()) as Record<string, unknown> & { as_of?: string } };
};
/** The nice values of each of a process's children's threads, from /proc (Linux). */
const niceOfChildren = (pid: number) =>
  fs
    .readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((c) =>
      fs.readdirSync(`/proc/${c}/task`).map((tid) => {
        const stat = fs.readFileSync(`/proc/${c}/task/${tid}/stat`, 'latin1');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      }),
    );
const withoutAsOf = ({ as_of: _asOf, ...rest }: Record<string, unknown>) => rest;
const collectedOf = (json: Record<string, unknown>) => (json.totals as { collected: number }).collected;

test('the stock reads process answers as the service does, sees a collection within a second, stops with it', async (t) => {
  t.timeout(PROCESS_TEST_MS);
  const sc = await counterScenario(app);
  app.clock.set(at(61.9)); // the slots are open
  const staff = await sc.signIn();
  const hidden = await scheduledLottery(app.db, app.clock, { sites: 1 });
  await app.db('campaigns').where({ id: hidden.campaignId }).update({ state: 'draft' });
  const port = await freePort();
  const { child, url, output } = await startService({
    ...process.env,
    DATA_DIR: tempDataDir('stock-reads', t),
    DATABASE_URL: app.database.url,
    DEMO_DATA: 'false',
    RUN_SCHEDULER: 'false', // the campaign's moments are the test clock's, not now
    STOCK_PORT: String(port),
    STOCK_NICE: '7',
  });
  const reads = `http://127.0.0.1:${port}`;
  try {
    t.true(
      niceOfChildren(child.pid!).some((threads) => threads.every((n) => n === 7)),
      'a child of the service runs at STOCK_NICE, every thread of it (its GC and I/O threads too)',
    );
    const id = sc.s.campaignId;
    const [mine, theirs] = await Promise.all([read(url, id), read(reads, id)]);
    t.is(theirs.res.status, 200);
    t.deepEqual(withoutAsOf(theirs.json), withoutAsOf(mine.json));
    t.truthy(Date.parse(theirs.json.as_of ?? ''));
    for (const h of ['content-type', 'cache-control', 'x-content-type-options', 'x-frame-options'])
      t.is(theirs.res.headers.get(h), mine.res.headers.get(h), h);
    const etag = theirs.res.headers.get('etag');
    t.truthy(etag);
    t.is(mine.res.headers.get('etag'), etag, 'the same validator from both');
    for (const base of [url, reads]) {
      const again = await fetch(`${base}/api/campaigns/${id}/stock`, { headers: { 'if-none-match': etag! } });
      t.is(again.status, 304, `${base}: figures unchanged, nothing sent`);
      t.is(again.headers.get('etag'), etag);
      t.is(await again.text(), '');
    }
    const upper = await Promise.all([read(url, id.toUpperCase()), read(reads, id.toUpperCase())]);
    t.deepEqual(
      upper.map((r) => r.res.status),
      [200, 200],
      'an upper-case id is the same campaign in both',
    );
    for (const [other, status] of [
      ['00000000-0000-4000-8000-000000000000', 404],
      [hidden.campaignId, 404],
      ['not-a-uuid', 404],
      ['%00', 422],
    ] as const) {
      const [a, b] = await Promise.all([read(url, other), read(reads, other)]);
      t.is(b.res.status, status, other);
      t.is(a.res.status, status, other);
      const { request_id: _a, ...ours } = a.json.error as Record<string, unknown>;
      const { request_id: _b, ...its } = b.json.error as Record<string, unknown>;
      t.deepEqual(its, ours);
      t.is(b.res.headers.get('cache-control'), a.res.headers.get('cache-control'));
    }

    const before = collectedOf(theirs.json);
    const w = sc.winnersAt(sc.s.siteIds[0]!)[0]!;
    const r = await app.request('POST', `/api/sites/${w.site}/collections`, {
      as: staff[0],
      json: { code: await sc.codeOf(w.public_id) },
    });
    t.is(r.status, 201, r.text);
    const collectedAt = Date.now();
    let seenAfter = Number.POSITIVE_INFINITY;
    while (Date.now() - collectedAt < 2000) {
      if (collectedOf((await read(reads, id)).json) > before) {
        seenAfter = Date.now() - collectedAt;
        break;
      }
      await new Promise((res) => setTimeout(res, 20));
    }
    t.true(seenAfter <= 1000, `the collection seen within a second (${seenAfter} ms)`);
  } finally {
    child.kill('SIGTERM');
    const { code } = await new Promise<{ code: number | null }>((r) =>
      child.on('exit', (c) => r({ code: c })),
    );
    t.is(code, 0, failureReport(output()));
  }
  await t.throwsAsync(fetch(`${reads}/api/campaigns/${sc.s.campaignId}/stock`), undefined, 'stopped too');
});

test('a STOCK_PORT in use stops the start with a message that names it', async (t) => {
  t.timeout(PROCESS_TEST_MS);
  const taken = net.createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  const port = (taken.address() as net.AddressInfo).port;
  try {
    const err = await t.throwsAsync(
      startService({
        ...process.env,
        DATA_DIR: tempDataDir('stock-port', t),
        DATABASE_URL: app.database.url,
        DEMO_DATA: 'false',
        RUN_SCHEDULER: 'false',
        STOCK_PORT: String(port),
      }),
    );
    t.regex(err!.message, new RegExp(`STOCK_PORT: 127\\.0\\.0\\.1:${port} is already in use`));
    t.regex(err!.message, /Failed to start: Error: STOCK_PORT/, 'the start fails with it');
  } finally {
    taken.close();
  }
});
