// enqueueNotice writes the message in the caller's transaction, once per dedupe key; the outbox relay then
// gives each waiting message exactly one send job.
import test from 'ava';
import { addJobsForWaitingMessages } from '../../src/db/repos/messages.js';
import { enqueueNotice, enqueueNotices, prepareMessage } from '../../src/notify/enqueue.js';
import type { NoticeRequest } from '../../src/notify/notice.js';
import { openRecipient, openText } from '../../src/notify/recipient.js';
import { createTestDatabase, TEST_DATA_KEY, type TestDatabase } from '../helpers/db.js';

let database: TestDatabase;
test.before(async () => {
  database = await createTestDatabase();
});
test.after.always(async () => {
  await database?.drop();
});

const otp = (key: string, over: Partial<NoticeRequest> = {}): NoticeRequest => ({
  kind: 'otp',
  channel: 'sms',
  to: '+821012345678',
  lang: 'ko',
  params: { code: '123456', minutes: 5 },
  dedupeKey: key,
  ...over,
});

const jobsFor = async (id: string) =>
  (
    await database.db.raw(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ?`, [
      `message:${id}`,
    ])
  ).rows[0].n;

test('a notice enqueued in a rolled-back transaction leaves no message and no job', async (t) => {
  let id = '';
  await t.throwsAsync(
    database.db.transaction(async (trx) => {
      id = (await enqueueNotice(trx, otp('rollback:1'), TEST_DATA_KEY)).messageId;
      throw new Error('the event failed');
    }),
    { message: 'the event failed' },
  );
  t.truthy(id);
  t.is(await database.db('messages').where({ id }).first(), undefined);
  t.is(await jobsFor(id), 0);
});

test('the same dedupe key twice makes one message and one job', async (t) => {
  const first = await database.db.transaction((trx) => enqueueNotice(trx, otp('twice:1'), TEST_DATA_KEY));
  const second = await database.db.transaction((trx) =>
    enqueueNotice(trx, otp('twice:1', { params: { code: '999999', minutes: 5 } }), TEST_DATA_KEY),
  );
  t.true(first.created);
  t.false(second.created);
  t.is(second.messageId, first.messageId);
  const rows = await database.db('messages').where({ dedupe_key: 'twice:1' });
  t.is(rows.length, 1);
  t.notRegex(rows[0].body, /123456/, 'a one-time code is stored sealed');
  t.regex(openText(rows[0].body, TEST_DATA_KEY), /123456/);
  t.true(rows[0].awaiting_job);
  t.is(await jobsFor(first.messageId), 0, 'no job (and no NOTIFY) inside the enqueueing transaction');
  await addJobsForWaitingMessages(database.db, 1000);
  t.is(await jobsFor(first.messageId), 1);
});

// serial: ava runs serial tests before the others, so no other test's message is waiting meanwhile
test.serial(
  'the relay gives each waiting message one job, in batches, even with several relays at once',
  async (t) => {
    const ids = await database.db.transaction(async (trx) => {
      const out: string[] = [];
      for (let i = 0; i < 250; i++)
        out.push((await enqueueNotice(trx, otp(`relay:${i}`), TEST_DATA_KEY)).messageId);
      return out;
    });
    // three relays racing with small batches: SKIP LOCKED must hand every message to exactly one of them
    const drain = async () => {
      let total = 0;
      for (let n = -1; n !== 0; total += n) n = await addJobsForWaitingMessages(database.db, 40);
      return total;
    };
    const taken = await Promise.all([drain(), drain(), drain()]);
    t.is(
      taken.reduce((a, b) => a + b, 0),
      250,
    );
    const { rows } = await database.db.raw(
      `SELECT count(*)::int AS jobs, count(DISTINCT key)::int AS keys FROM graphile_worker.jobs
      WHERE key = ANY(?::text[])`,
      [ids.map((id) => `message:${id}`)],
    );
    t.deepEqual(rows[0], { jobs: 250, keys: 250 });
    t.is((await database.db('messages').whereIn('id', ids).where({ awaiting_job: true })).length, 0);
    t.is(await addJobsForWaitingMessages(database.db, 40), 0, 'nothing left to relay');
  },
);

// Serial (run before the others here): a concurrent relay test would take some of these into its own batches.
test.serial('the relay adds a batch’s jobs in the order its messages were written', async (t) => {
  const ids: string[] = [];
  // each in its own transaction, as receipts are: written one after another
  for (let i = 0; i < 30; i++)
    ids.push(
      await database.db.transaction(
        async (trx) => (await enqueueNotice(trx, otp(`fifo:${i}`), TEST_DATA_KEY)).messageId,
      ),
    );
  t.true((await addJobsForWaitingMessages(database.db, 1000)) >= 30);
  const { rows } = await database.db.raw(
    `SELECT key FROM graphile_worker.jobs WHERE key = ANY(?::text[]) ORDER BY id`,
    [ids.map((id) => `message:${id}`)],
  );
  t.deepEqual(
    rows.map((r: { key: string }) => r.key),
    ids.map((id) => `message:${id}`),
  );
});

test('the record keeps a masked recipient, a sealed one, and the SMS segment count', async (t) => {
  const { messageId } = await database.db.transaction((trx) =>
    enqueueNotice(trx, otp('shape:1'), TEST_DATA_KEY),
  );
  const row = await database.db('messages').where({ id: messageId }).first();
  t.is(row.status, 'queued');
  t.is(row.to_masked, '+82******5678');
  t.not(row.to_enc, '+821012345678');
  t.is(openRecipient(row.to_enc, TEST_DATA_KEY), '+821012345678');
  t.is(row.encoding, 'ucs2');
  t.is(row.segments, 1);
  t.is(row.template, 'otp.ko.sms');
});

test('an email notice has a subject, a text part and an HTML part in the chosen language', async (t) => {
  const { messageId } = await database.db.transaction((trx) =>
    enqueueNotice(
      trx,
      {
        kind: 'result_won',
        channel: 'email',
        to: 'jisoo.kim@example.org',
        lang: 'en',
        params: {
          campaign: 'December vouchers <2026>',
          prize: '250,000 KRW',
          site: 'Market Hall',
          pickup: 'Dec 3, 10:00-11:00',
          claim_code: 'K7Q-22M',
          url: 'http://127.0.0.1/r/1',
          result_url: 'http://127.0.0.1/campaigns/1/application',
        },
        dedupeKey: 'email:1',
      },
      TEST_DATA_KEY,
    ),
  );
  const row = await database.db('messages').where({ id: messageId }).first();
  t.is(row.subject, 'You won: December vouchers <2026>');
  t.regex(row.body, /Claim code: K7Q-22M/);
  t.regex(row.html, /December vouchers &lt;2026&gt;/);
  t.is(row.to_masked, 'j***@example.org');
  t.is(row.segments, null);
});

test('a notice missing a template parameter fails the enqueuing transaction', async (t) => {
  await t.throwsAsync(
    database.db.transaction((trx) =>
      enqueueNotice(trx, otp('missing:1', { params: { minutes: 5 } }), TEST_DATA_KEY),
    ),
    { message: /needs code/ },
  );
});

test('many notices in one call are the rows one call each writes, once per dedupe key', async (t) => {
  const turn = (i: number): NoticeRequest => ({
    kind: 'queue_turn',
    channel: i % 2 ? 'sms' : 'email',
    to: i % 2 ? `+8210555${String(i).padStart(5, '0')}` : `p${i}@test.example`,
    lang: i % 3 ? 'ko' : 'en',
    params: { campaign: '상품권', minutes: 2, url: 'http://127.0.0.1/c/queue' },
    dedupeKey: `many:${i}`,
    campaignId: null,
  });
  // 2,500: more than one statement's worth; 3 of them already written one at a time
  const notices = Array.from({ length: 2500 }, (_, i) => turn(i));
  await database.db.transaction(async (trx) => {
    for (const i of [0, 1, 2499]) await enqueueNotice(trx, notices[i]!, TEST_DATA_KEY);
  });
  const alone = await database.db('messages').where({ dedupe_key: 'many:1' }).first();
  const created = await database.db.transaction((trx) => enqueueNotices(trx, notices, TEST_DATA_KEY));
  t.is(created, 2497);
  t.is(await database.db.transaction((trx) => enqueueNotices(trx, notices, TEST_DATA_KEY)), 0, 'again: none');
  const rows = await database.db('messages').where('dedupe_key', 'like', 'many:%');
  t.is(rows.length, 2500);
  // a row written in the batch holds what a row written alone holds (its recipient sealed with its own nonce)
  const batched = rows.find((r) => r.dedupe_key === 'many:3')!;
  const expected = prepareMessage(notices[3]!, TEST_DATA_KEY);
  for (const column of ['kind', 'channel', 'lang', 'template', 'to_masked', 'body', 'segments', 'encoding'])
    t.is(batched[column], (expected as unknown as Record<string, unknown>)[column], column);
  t.is(openRecipient(batched.to_enc, TEST_DATA_KEY), notices[3]!.to);
  t.is(alone.template, rows.find((r) => r.dedupe_key === 'many:1')!.template);
});
