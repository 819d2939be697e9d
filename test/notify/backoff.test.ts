// Temporary failures back off exponentially with "equal jitter": the wait is uniform in [c/2, c] with
// c = min(max, base * 2^(attempt-1)); a provider's Retry-After is a floor. Checked on the function and on the
// delay sendMessage actually stores (next_attempt_at and the job's run_at), attempt by attempt.
import test from 'ava';
import { createLogger } from '../../src/logger.js';
import { retryDelayMs } from '../../src/notify/backoff.js';
import { type ChannelAdapter, outboxChannel, TemporaryError } from '../../src/notify/channel.js';
import { enqueueNotice } from '../../src/notify/enqueue.js';
import { sendMessage } from '../../src/notify/sendMessage.js';
import { createTestDatabase, TEST_DATA_KEY, type TestDatabase } from '../helpers/db.js';

const policy = { baseMs: 1000, maxMs: 6000 };

test('the ceiling doubles per attempt up to the maximum; the jitter spans its upper half', (t) => {
  const at = (attempt: number, r: number) => retryDelayMs(attempt, policy, () => r);
  t.deepEqual([at(1, 0), at(1, 0.5), at(1, 1)], [500, 750, 1000]);
  t.deepEqual([at(2, 0), at(2, 1)], [1000, 2000]);
  t.deepEqual([at(3, 0), at(3, 1)], [2000, 4000]);
  t.deepEqual([at(4, 0), at(4, 1)], [3000, 6000], 'capped: 8000 becomes 6000');
  t.deepEqual([at(30, 0), at(30, 1)], [3000, 6000]);
  t.is(at(0, 1), 1000, 'attempt 0 counts as the first');
});

test('Retry-After is a floor, never a ceiling', (t) => {
  t.is(
    retryDelayMs(1, policy, () => 0, 45_000),
    45_000,
  );
  t.is(
    retryDelayMs(3, policy, () => 1, 100),
    4000,
  );
});

let database: TestDatabase;
test.before(async () => {
  database = await createTestDatabase(4);
});
test.after.always(async () => {
  await database?.drop();
});

test('sendMessage stores each retry at now + the jittered delay, then gives up at the attempt limit', async (t) => {
  const messageId = (
    await database.db.transaction((trx) =>
      enqueueNotice(
        trx,
        {
          kind: 'otp',
          channel: 'sms',
          to: '+821099990001',
          lang: 'ko',
          params: { code: '123456', minutes: 5 },
          dedupeKey: 'backoff:1',
        },
        TEST_DATA_KEY,
      ),
    )
  ).messageId;
  const failing: ChannelAdapter = {
    provider: 'twilio',
    async send() {
      throw new TemporaryError('http_503', 'Service Unavailable');
    },
  };
  const randoms = [0, 0.5, 1, 0.25];
  const deps = {
    db: database.db,
    channels: { sms: failing, email: outboxChannel() },
    limiter: { take: async () => {} },
    logger: createLogger('silent'),
    dataKey: TEST_DATA_KEY,
    maxAttempts: 5,
    backoff: policy,
    random: () => randoms.shift() ?? Number.NaN,
  };
  // attempt k: ceiling min(6000, 1000 * 2^(k-1)) = 1000, 2000, 4000, 6000; wait = ceiling/2 + r * ceiling/2
  const expected = [500, 1500, 4000, 3750];
  for (const [i, delay] of expected.entries()) {
    const before = Date.now();
    t.is(await sendMessage(deps, messageId, 'sms'), 'retry', `attempt ${i + 1}`);
    const after = Date.now();
    const m = await database.db('messages').where({ id: messageId }).first();
    t.is(m.attempts, i + 1);
    t.is(m.status, 'queued');
    const at = m.next_attempt_at.getTime();
    t.true(at >= before + delay && at <= after + delay, `attempt ${i + 1}: ${at - before} ms, want ${delay}`);
    const { rows } = await database.db.raw(
      `SELECT run_at FROM graphile_worker.jobs WHERE task_identifier = 'send_message' ORDER BY run_at DESC LIMIT 1`,
    );
    t.is(rows[0].run_at.getTime(), at, 'the job runs when the message says');
  }
  t.is(await sendMessage(deps, messageId, 'sms'), 'failed');
  const m = await database.db('messages').where({ id: messageId }).first();
  t.is(m.status, 'failed');
  t.is(m.attempts, 5);
});
