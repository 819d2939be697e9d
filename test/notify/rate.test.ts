// The send rate is one limit for all instances: two workers (two pools, as two processes would be)
// at SMS_RATE_PER_SECOND=20 together send no more than that.
import test from 'ava';
import { createDb, type Db } from '../../src/db/knex.js';
import { createSendRateLimiter, windowsPerSecond } from '../../src/notify/rateLimit.js';
import { SteppedClock } from '../helpers/clock.js';
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

test('on a clock that stands still, instances together get the share of one slot (2 at 20/s), however long they wait', async (t) => {
  // 2020, so these slots never meet the workers' test below, which runs on the real clock
  const clock = new SteppedClock('2020-01-01T00:00:00.000Z');
  // three instances: three pools on one store
  const pools: Db[] = [];
  const instance = () => {
    const db = createDb(database.url, 4);
    pools.push(db);
    return createSendRateLimiter(db, { sms: 20, email: 0 }, clock);
  };
  const [a, b, late] = [instance(), instance(), instance()];
  const stop = new AbortController();
  let granted = 0;
  const takes = Array.from({ length: 20 }, (_, i) =>
    (i % 2 ? a : b).take('sms', stop.signal).then(() => {
      granted++;
    }),
  );
  const settled = Promise.allSettled(takes);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    for (let slot = 1; slot <= 10; slot++) {
      await waitFor(`slot ${slot}'s share`, async () => granted >= 2 * slot, 10_000);
      // waiters retry every 100 ms of real time; three rounds in the same slot of the clock grant nothing more
      await sleep(350);
      t.is(granted, 2 * slot, `after ${slot} slot(s) of the clock`);
      if (slot === 1) {
        // an instance that comes late to the slot (its row well past 100 ms old) is refused all the same
        const lateTake = late.take('sms', AbortSignal.timeout(300)).then(
          () => 'granted',
          (err: Error) => err.name,
        );
        t.is(await lateTake, 'TimeoutError', 'waited out its 300 ms without a token');
        t.is(granted, 2);
      }
      clock.advance(100);
    }
    t.is(granted, 20, 'every take got its token, two per slot');
  } finally {
    stop.abort();
    await settled;
    await Promise.all(pools.map((db) => db.destroy()));
  }
});

test('waiters of one instance ask the store for no more than a slot can grant: 2 asks a slot at 20/s, not one each', async (t) => {
  // 2021, apart from the other tests' slots
  const clock = new SteppedClock('2021-01-01T00:00:00.000Z');
  const db = createDb(database.url, 16);
  const limiter = createSendRateLimiter(db, { sms: 20, email: 0 }, clock);
  const stop = new AbortController();
  let granted = 0;
  const takes = Array.from({ length: 12 }, () =>
    limiter.take('sms', stop.signal).then(() => {
      granted++;
    }),
  );
  const settled = Promise.allSettled(takes);
  const asksOf = async (slot: number) => {
    const row = await db('notify_rate_limits')
      .where({ key: `send:sms:${slot}` })
      .first();
    return Number(row?.points ?? 0); // every ask adds to it, refused ones too
  };
  const first = Math.floor(clock.now().getTime() / 100);
  try {
    for (let slot = 0; slot < 3; slot++) {
      await waitFor(`slot ${slot}'s share`, async () => granted >= 2 * (slot + 1), 10_000);
      await new Promise((r) => setTimeout(r, 250)); // the waiters' next round, still in this slot of the clock
      t.is(await asksOf(first + slot), 2, `slot ${slot}: the 12 waiters asked twice`);
      clock.advance(100);
    }
  } finally {
    stop.abort();
    await settled;
    await db.destroy();
  }
  t.is(granted, 6);
});

test('two workers share one rate: 60 SMS at 20/s all fit in the tokens of one shared limit, 2 per 100 ms slot', async (t) => {
  const total = 60;
  const rate = { sms: 20, email: 0 };
  const windows = windowsPerSecond(rate.sms);
  const perSlot = rate.sms / windows;
  const firstSlot = Math.floor(Date.now() / (1000 / windows));
  await enqueueOtpSms(database, total, { key: 'rate', lang: 'ko', firstNumber: 40_000_000 });
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
  // Counted where the limit is enforced (one row per slot, refused takes included), so request latency to
  // the stand-in cannot bunch or spread what is counted. The most a slot can grant is min(points, 2): if the
  // workers had a limit each, or a slot let more through, 60 sends would not fit in these tokens.
  const granted = new Map<number, number>();
  for (const r of await database.db('notify_rate_limits').select('key', 'points')) {
    const slot = Number(/^send:sms:(\d+)$/.exec(r.key)?.[1]);
    if (slot >= firstSlot) granted.set(slot, Math.min(Number(r.points), perSlot));
  }
  const tokens = [...granted.values()].reduce((n, g) => n + g, 0);
  t.log(`${granted.size} slots used, ${tokens} tokens granted`);
  // More than 60 when a job ran twice (handed back from a worker whose heartbeat was late): it took a token
  // and then found its message already sent.
  t.true(tokens >= total, `${total} sends in ${tokens} tokens of the shared limit`);
});
