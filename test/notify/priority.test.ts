// Notices someone waits for go first: a sign-in code and an instant sale's turn enqueued behind a backlog of
// results at the SMS rate are sent within the next few sends, not after the backlog (17 minutes for 10,000 at 10/s).
import test from 'ava';
import { addJobsForWaitingMessages } from '../../src/db/repos/messages.js';
import { enqueueNotices } from '../../src/notify/enqueue.js';
import type { NoticeRequest } from '../../src/notify/notice.js';
import { createTestDatabase, TEST_DATA_KEY, type TestDatabase } from '../helpers/db.js';
import { enqueueOtpSms, standInChannels, startTestWorker, waitFor } from '../helpers/notify.js';
import { startTwilioStandIn, type TwilioStandIn } from '../helpers/twilioStandIn.js';

let database: TestDatabase;
let twilio: TwilioStandIn;
test.before(async () => {
  database = await createTestDatabase();
  twilio = await startTwilioStandIn();
});
test.after.always(async () => {
  await twilio?.close();
  await database?.drop();
});

const results = (n: number): NoticeRequest[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: 'result_lost',
    channel: 'sms',
    to: `+8210${String(60_000_000 + i)}`,
    lang: 'ko',
    params: { campaign: '시험 사업', url: 'https://city.example/r' },
    dedupeKey: `priority-result:${i}`,
  }));
const turn: NoticeRequest = {
  kind: 'queue_turn',
  channel: 'sms',
  to: '+821070000001',
  lang: 'ko',
  params: { campaign: '시험 사업', minutes: 2, url: 'https://city.example/q' },
  dedupeKey: 'priority-turn',
};

test('a sign-in code and a turn written after 40 results, some already handed to the queue, are sent among the first', async (t) => {
  await database.db.transaction((trx) => enqueueNotices(trx, results(20), TEST_DATA_KEY));
  await addJobsForWaitingMessages(database.db, 1000); // half the backlog already has its jobs, half waits for the relay
  await database.db.transaction((trx) => enqueueNotices(trx, results(40).slice(20), TEST_DATA_KEY));
  await database.db.transaction((trx) => enqueueNotices(trx, [turn], TEST_DATA_KEY));
  await enqueueOtpSms(database, 1, { key: 'priority-otp', lang: 'ko', firstNumber: 70_000_002 });

  const worker = await startTestWorker(database, standInChannels({ twilioUrl: twilio.url }), {
    ratePerSecond: { sms: 20, email: 0 },
    concurrency: 2,
  });
  try {
    await waitFor('all 42 sent', async () => twilio.accepted.length >= 42, 30_000);
  } finally {
    await worker.stop();
  }
  const order = twilio.accepted.map((m) => m.to);
  const place = (to: string) => order.indexOf(to) + 1;
  // the worker may hold a few result jobs fetched before it saw the others (its local queue: twice its concurrency);
  // the code and the turn may be fetched together and sent in either order
  t.true(place('+821070000002') <= 6, `the code was sent ${place('+821070000002')} of 42`);
  t.true(place('+821070000001') <= 7, `the turn was sent ${place('+821070000001')} of 42`);
});
