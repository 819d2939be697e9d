// Expired one-time-code challenges (an hour past expiry) and ended rate-limit windows are deleted by a
// graphile-worker cron item every ten minutes; the job's scheduled time is its `now`. Live rows stay.
import { EventEmitter } from 'node:events';
import test from 'ava';
import type { Runner } from 'graphile-worker';
import { CHALLENGE_GRACE_MS, cleanupVerification } from '../../src/commands/cleanupVerification.js';
import { CLEANUP_TASK, housekeepingCron, startHousekeepingWorker } from '../../src/jobs/housekeeping.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { nextPhone, ROOMY_LIMITS } from '../helpers/intake.js';
import { waitFor } from '../helpers/notify.js';

let app: TestApp;
let runner: Runner | undefined;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
});
test.after.always(async () => {
  await runner?.stop();
  await app?.close();
});

const MIN = 60_000;

/** A code requested now (by the app's stepped clock): its challenge expires five minutes later. */
async function challengeAt(at: Date): Promise<string> {
  app.clock.set(at);
  const res = await app.request('POST', '/api/identity/codes', {
    json: { channel: 'sms', phone: nextPhone(), birth_date: '19820315' },
  });
  if (res.status !== 202) throw new Error(res.text);
  return res.json.challenge_id;
}

async function rateLimitRows(expires: Record<string, number>) {
  await app
    .db('rate_limits')
    .insert(Object.entries(expires).map(([key, expire]) => ({ key, points: 1, expire })))
    .onConflict('key')
    .merge();
}

const exists = async (table: string, where: Record<string, string>) =>
  (await app.db(table).where(where).first()) !== undefined;

test.serial(
  'the clean-up deletes challenges an hour past expiry and ended rate-limit windows only',
  async (t) => {
    const t0 = new Date('2026-12-01T09:00:00+09:00');
    const old = await challengeAt(t0);
    const recent = await challengeAt(new Date(t0.getTime() + 10 * MIN));
    const now = new Date(t0.getTime() + 5 * MIN + CHALLENGE_GRACE_MS + 1);
    await rateLimitRows({ 'test:ended': now.getTime() - 1, 'test:running': now.getTime() + MIN });

    const removed = await cleanupVerification({ db: app.db }, now);
    t.true(removed.challenges >= 1);
    t.true(removed.rate_limits >= 1);
    t.false(await exists('verification_challenges', { id: old }));
    t.true(
      await exists('verification_challenges', { id: recent }),
      'expired, but still within the grace hour',
    );
    t.false(await exists('rate_limits', { key: 'test:ended' }));
    t.true(await exists('rate_limits', { key: 'test:running' }));

    // An expired code inside the grace hour still says "expired"; after the clean-up it is simply unknown.
    app.clock.set(new Date(t0.getTime() + 20 * MIN));
    const late = await app.request('POST', '/api/identity/verify', {
      json: { challenge_id: recent, code: '123456' },
    });
    t.is(late.json.error.code, 'code_expired');
    const gone = await app.request('POST', '/api/identity/verify', {
      json: { challenge_id: old, code: '123456' },
    });
    t.is(gone.json.error.code, 'code_invalid');
  },
);

test.serial('the schedule is every ten minutes', (t) => {
  const [item] = housekeepingCron();
  t.is(item!.task, CLEANUP_TASK);
  const at = (min: number) => item!.match({ min, hour: 3, date: 1, month: 12, dow: 2 });
  t.deepEqual([0, 10, 20, 50].map(at), [true, true, true, true]);
  t.deepEqual([1, 5, 15, 59].map(at), [false, false, false, false]);
});

test.serial(
  'the worker registers the cron item and runs the task with the cron timestamp as now',
  async (t) => {
    const events = new EventEmitter();
    const started = new Promise<void>((resolve) => events.once('cron:started', () => resolve()));
    runner = await startHousekeepingWorker(
      app.database.url,
      { db: app.db },
      createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      events,
    );
    await started;
    const known = await app.db.raw(
      'SELECT identifier FROM graphile_worker._private_known_crontabs WHERE identifier = ?',
      [CLEANUP_TASK],
    );
    t.is(known.rows.length, 1, 'graphile-worker knows the cron item (one schedule for all instances)');

    // A job as the cron would schedule it, due at a moment the stepped clock never saw.
    const due = new Date('2027-01-01T00:00:00Z');
    const challenge = await challengeAt(new Date(due.getTime() - 2 * CHALLENGE_GRACE_MS));
    await rateLimitRows({ 'cron:ended': due.getTime() - 1, 'cron:running': due.getTime() + MIN });
    await app.db.raw(
      `SELECT graphile_worker.add_job(?, json_build_object('_cron', json_build_object('ts', ?::text, 'backfilled', false)))`,
      [CLEANUP_TASK, due.toISOString()],
    );
    // The task deletes challenges, then rate-limit rows: wait for the job itself to finish, not its first step.
    await waitFor('the clean-up job', async () => {
      const left = await app.db.raw(
        'SELECT 1 FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks k ON k.id = j.task_id WHERE k.identifier = ?',
        [CLEANUP_TASK],
      );
      return left.rows.length === 0;
    });
    t.false(await exists('verification_challenges', { id: challenge }));
    t.false(await exists('rate_limits', { key: 'cron:ended' }));
    t.true(
      await exists('rate_limits', { key: 'cron:running' }),
      'judged by the cron time, not the wall clock',
    );
  },
);
