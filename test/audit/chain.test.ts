import { createHash } from 'node:crypto';
import test from 'ava';
import fc from 'fast-check';
import { bodyAroundSeq, hashEntry } from '../../src/audit/chain.js';
import { appendAudit, appendAuditBatch } from '../../src/audit/log.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let database: TestDatabase;
let app: TestApp;

test.before(async () => {
  database = await createTestDatabase();
  app = await startTestApp({ database });
  for (let i = 1; i <= 5; i++) {
    await database.db.transaction((trx) =>
      appendAudit(trx, {
        at: new Date(`2026-12-01T00:00:0${i}Z`),
        actor: 'system:test',
        action: 'test.event',
        subject: 'x:1',
        data: { i },
      }),
    );
  }
});
test.after.always(async () => {
  await app?.close();
  await database?.drop();
});

test.serial('an untouched chain checks out', async (t) => {
  const admin = await app.staff('admin');
  const res = await app.request('GET', '/api/audit/log', { as: admin });
  t.is(res.status, 200);
  t.true(res.json.chain.ok);
  t.true(res.json.chain.length >= 6);
  t.is(res.json.entries[0].prev_hash, '0'.repeat(64));
});

test.serial('a batch is appended in its order, each entry hashed as the chain checks it', async (t) => {
  const before = await database.db('audit_log').max('seq as seq').first();
  const data = [{ i: 'first "quoted" \\ back' }, { i: '둘째', nested: { z: 1, a: [2, 3] } }, { i: 'third' }];
  await database.db.transaction((trx) =>
    appendAuditBatch(
      trx,
      data.map((d, k) => ({
        at: new Date(`2026-12-01T00:01:0${k}Z`),
        actor: 'system:test',
        action: 'test.batch',
        subject: 'x:1',
        data: d,
      })),
    ),
  );
  const rows = await database.db('audit_log').where('seq', '>', before!.seq).orderBy('seq');
  t.deepEqual(
    rows.map((r) => r.data),
    data,
  );
  const admin = await app.staff('admin');
  const res = await app.request('GET', '/api/audit/log', { as: admin });
  t.true(res.json.chain.ok, JSON.stringify(res.json.chain));
});

test.serial('the database itself refuses to update or delete audit rows', async (t) => {
  await t.throwsAsync(database.db('audit_log').where({ seq: 2 }).update({ action: 'x' }), {
    message: /append-only/,
  });
  await t.throwsAsync(database.db('audit_log').where({ seq: 2 }).delete(), { message: /append-only/ });
});

test.serial('a row edited behind the trigger breaks the chain at that row', async (t) => {
  // A superuser can bypass triggers; the hash chain still shows the edit.
  await database.db.transaction(async (trx) => {
    await trx.raw('SET LOCAL session_replication_role = replica');
    await trx('audit_log')
      .where({ seq: 3 })
      .update({ data: JSON.stringify({ i: 99 }) });
  });
  const auditor = await app.staff('auditor');
  const res = await app.request('GET', '/api/audit/log', { as: auditor });
  t.false(res.json.chain.ok);
  t.is(res.json.chain.brokenAt, 3);
  t.is(res.json.chain.reason, 'row content does not match its hash');
});

test.serial('a deleted row breaks the chain too', async (t) => {
  await database.db.transaction(async (trx) => {
    await trx.raw('SET LOCAL session_replication_role = replica');
    await trx('audit_log')
      .where({ seq: 3 })
      .update({ data: JSON.stringify({ i: 3 }) });
    await trx('audit_log').where({ seq: 4 }).delete();
  });
  const auditor = await app.staff('auditor');
  const res = await app.request('GET', '/api/audit/log', { as: auditor });
  t.false(res.json.chain.ok);
  t.is(res.json.chain.brokenAt, 5);
});

test('the body sent around the sequence number hashes as hashEntry does, whatever the data holds', (t) => {
  const text = fc.oneof(fc.string(), fc.constant(',"seq":0,"subject":"x"}'), fc.constant('"seq":'));
  fc.assert(
    fc.property(
      fc.record({ actor: text, action: text, subject: text }),
      fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null))),
      fc.integer({ min: 1, max: 2 ** 40 }),
      (e, data, seq) => {
        const entry = { ...e, at: new Date(1_700_000_000_123), data };
        const [before, after] = bodyAroundSeq(entry);
        const prev = 'ab'.repeat(32);
        const bySql = createHash('sha256').update(`${prev}\n${before}${seq}${after}`).digest('hex');
        return bySql === hashEntry(prev, { ...entry, seq });
      },
    ),
  );
  t.pass();
});
