// The audit log a page at a time (a cursor, not the whole log per request), and the chain checked from the
// stored checkpoint: the background job's full check stores it; a request checks the checkpoint row's hash
// and the rows after it.
import test from 'ava';
import { appendAudit } from '../../src/audit/log.js';
import { recordAuditCheckpoint } from '../../src/commands/checkAuditChain.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let database: TestDatabase;
let app: TestApp;

const append = (i: number, subject = 'x:1') =>
  database.db.transaction((trx) =>
    appendAudit(trx, {
      at: new Date(Date.UTC(2026, 11, 1, 0, 0, i)),
      actor: 'system:test',
      action: 'test.event',
      subject,
      data: { i },
    }),
  );

test.before(async () => {
  database = await createTestDatabase();
  app = await startTestApp({ database });
  for (let i = 1; i <= 12; i++) await append(i, i % 3 === 0 ? 'y:2' : 'x:1');
});
test.after.always(async () => {
  await app?.close();
  await database?.drop();
});

const tamper = (seq: number) =>
  database.db.transaction(async (trx) => {
    await trx.raw('SET LOCAL session_replication_role = replica');
    await trx('audit_log').where({ seq }).update({ actor: 'system:tampered' });
  });

test.serial(
  'the API pages through the whole log in seq order with its next cursor, filter kept',
  async (t) => {
    const auditor = await app.staff('auditor');
    const total = Number((await database.db('audit_log').count('* as n'))[0]!.n);
    const seen: number[] = [];
    let path: string | null = '/api/audit/log?limit=5';
    while (path) {
      const res = await app.request('GET', path, { as: auditor });
      t.is(res.status, 200);
      t.true(res.json.entries.length <= 5);
      seen.push(...res.json.entries.map((e: { seq: number }) => e.seq));
      path = res.json.next;
    }
    t.deepEqual(
      seen,
      Array.from({ length: total }, (_, i) => i + 1),
    );
    const first = await app.request('GET', '/api/audit/log?limit=2&subject=y:2', { as: auditor });
    t.deepEqual(
      first.json.entries.map((e: { subject: string }) => e.subject),
      ['y:2', 'y:2'],
    );
    t.regex(first.json.next, /subject=y%3A2/);
    t.is((await app.request('GET', '/api/audit/log?limit=0', { as: auditor })).status, 422);
    t.is((await app.request('GET', '/api/audit/log?after=-1', { as: auditor })).status, 422);
  },
);

test.serial('the page shows the newest rows and links to older ones', async (t) => {
  const admin = await app.staff('admin');
  const rows = Array.from({ length: 600 }, (_, i) => i);
  for (const i of rows) await append(100 + i);
  const page = await app.request('GET', '/admin/audit?lang=en', {
    as: admin,
    headers: { accept: 'text/html' },
  });
  t.is(page.status, 200);
  const older = /href="(\/admin\/audit\?before=\d+)"/.exec(page.text)?.[1];
  t.truthy(older, 'a link to older entries');
  const next = await app.request('GET', older!.replaceAll('&amp;', '&'), {
    as: admin,
    headers: { accept: 'text/html' },
  });
  t.is(next.status, 200);
  t.regex(next.text, /<td class="num">1<\/td>/, 'the oldest row is on the second page');
});

test.serial('a request checks from the checkpoint: the checkpoint row and the rows after it', async (t) => {
  const auditor = await app.staff('auditor');
  const full = await recordAuditCheckpoint(database, new Date());
  t.true(full.ok);
  // (the housekeeping cron may have stored a later one meanwhile: the newest is the one requests use)
  const cp = Number((await database.db('audit_checkpoints').max('seq as m'))[0]!.m);
  t.true(cp >= full.length);
  await append(9000);
  const last = Number((await database.db('audit_log').max('seq as m'))[0]!.m);
  let res = await app.request('GET', '/api/audit/log?limit=1', { as: auditor });
  t.true(res.json.chain.ok);
  t.is(res.json.chain.checked_from, cp);
  t.is(res.json.chain.length, last);

  await tamper(last); // after the checkpoint
  res = await app.request('GET', '/api/audit/log?limit=1', { as: auditor });
  t.false(res.json.chain.ok);
  t.is(res.json.chain.brokenAt, last);

  await tamper(cp); // the checkpoint row itself
  res = await app.request('GET', '/api/audit/log?limit=1', { as: auditor });
  t.false(res.json.chain.ok);
  t.is(res.json.chain.brokenAt, cp);
  t.is(res.json.chain.reason, 'row changed since it was checked');

  // an edit before the checkpoint is found by the next full check, which stores no checkpoint past it
  await tamper(4);
  const again = await recordAuditCheckpoint(database, new Date());
  t.false(again.ok);
  t.is(again.ok ? 0 : again.brokenAt, 4);
  t.is(Number((await database.db('audit_checkpoints').max('seq as m'))[0]!.m), cp);
});
