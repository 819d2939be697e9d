// The send rate is one limit for all instances: two workers (two pools, as two processes would be)
// at SMS_RATE_PER_SECOND=20 together send no more than that.
import test from 'ava';
import { windowsPerSecond } from '../../src/notify/rateLimit.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
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

test('windows split a second evenly', (t) => {
  t.is(windowsPerSecond(200), 10);
  t.is(windowsPerSecond(25), 5);
  t.is(windowsPerSecond(1), 1);
  t.is(windowsPerSecond(3), 1);
});

test('two workers share one rate: 60 SMS at 20/s, every send took a token of the one shared limit', async (t) => {
  const total = 60;
  await enqueueOtpSms(database, total, { key: 'rate', lang: 'ko', firstNumber: 40_000_000 });
  const rate = { sms: 20, email: 0 };
  const workers = await Promise.all(
    [0, 1].map(() =>
      startTestWorker(database, standInChannels({ twilioUrl: twilio.url }), {
        ratePerSecond: rate,
        concurrency: 8,
      }),
    ),
  );
  try {
    await waitFor('all sent', async () => twilio.accepted.length >= total, 30_000);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
  t.is(twilio.accepted.length, total, 'each message sent once');
  // The shared store counts every take per 100 ms slot (key send:sms:<slot>), refused ones included: a slot
  // granted min(points, 2). Counted where the limit is enforced, this does not depend on request latency.
  const windows = windowsPerSecond(rate.sms);
  const perSlot = rate.sms / windows;
  const rows = await database.db('notify_rate_limits').select('key', 'points');
  const granted = new Map<number, number>();
  for (const r of rows) {
    const m = /^send:sms:(\d+)$/.exec(r.key);
    t.truthy(m, `a slot key of the shared limit: ${r.key}`);
    const slot = Number(m![1]);
    granted.set(slot, (granted.get(slot) ?? 0) + Math.min(Number(r.points), perSlot));
  }
  const slots = [...granted.keys()].sort((a, b) => a - b);
  t.is(
    [...granted.values()].reduce((a, b) => a + b, 0),
    total,
    'every send took exactly one token',
  );
  // Any one-second span of slots granted at most the rate: 20 tokens, however the two workers raced.
  let busiest = 0;
  for (const first of slots) {
    let n = 0;
    for (let s = first; s < first + windows; s++) n += granted.get(s) ?? 0;
    busiest = Math.max(busiest, n);
  }
  t.log(`${slots.length} slots used, busiest second ${busiest} tokens`);
  t.true(busiest <= rate.sms, `one second granted ${busiest}`);
  // 60 tokens at 2 per slot need at least 30 slots: 3 s of wall clock, whatever the machine's load.
  t.true(slots.at(-1)! - slots[0]! + 1 >= total / perSlot);
  const times = twilio.accepted.map((a) => a.dateCreated.getTime()).sort((a, b) => a - b);
  const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
  // Two separate limits of 20/s would send 60 in about 1.5 s; one shared limit needs about 2.9 s.
  t.true(span >= 2.2, `took only ${span} s`);
});
