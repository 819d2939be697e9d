// npm run worker (src/worker.ts) alone is enough to send: with RUN_WORKER=false on the web instances it also
// runs the draw's results fan-out, not only send_message.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { SteppedClock } from '../helpers/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { addApplications, drawContext, drawReconciler, scheduledLottery } from '../helpers/draw.js';
import { spawnWorkerProcess, waitFor } from '../helpers/notify.js';

let database: TestDatabase;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fa-worker-'));

test.before(async () => {
  database = await createTestDatabase();
});
test.after.always(async () => {
  await database?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the separate worker process runs the draw results fan-out task', async (t) => {
  // A drawn campaign whose fan-out job the draw enqueued: only the worker process can send its results.
  const db = database.db;
  const clock = new SteppedClock();
  const s = await scheduledLottery(db, clock, { sites: 2, capacity: 5 });
  await addApplications(db, s, 30);
  const reconciler = drawReconciler(drawContext(db, clock));
  for (const moment of [s.opensAt, s.closesAt]) {
    clock.set(moment);
    await reconciler.runOnce();
  }
  await db('draws').where({ campaign_id: s.campaignId }).update({ beacon: 'lotto 2026-12-05: 1 2 3' });
  clock.set(s.drawAt);
  await reconciler.runOnce();
  const awards = Number((await db('awards').where({ campaign_id: s.campaignId }).count('* as n'))[0]!.n);
  t.true(awards > 20);
  const results = async () =>
    Number(
      (
        await db('messages')
          .where({ campaign_id: s.campaignId })
          .whereLike('dedupe_key', 'result:%')
          .count('* as n')
      )[0]!.n,
    );
  t.is(await results(), 0, 'nothing is sent before a worker runs');
  const child = spawnWorkerProcess(database.url, dataDir);
  try {
    await waitFor(
      'the fan-out job to be done',
      async () => {
        const [row] = await db('graphile_worker.jobs')
          .where({ task_identifier: 'draw_results_fanout' })
          .count<{ n: number }[]>('* as n');
        return Number(row?.n) === 0;
      },
      30_000,
    );
    t.is(await results(), awards, 'one result notice per award');
    // Let the worker finish sending them before it is stopped: SIGTERM then has nothing in flight to drain.
    await waitFor(
      'the result notices to be sent',
      async () =>
        Number(
          (
            await db('messages')
              .where({ campaign_id: s.campaignId })
              .whereNot({ status: 'sent' })
              .count('* as n')
          )[0]!.n,
        ) === 0,
      60_000,
    );
    const draw = await db('draws').where({ campaign_id: s.campaignId }).first();
    t.is(draw.notified_through_rank, awards);
  } finally {
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', (c) => r(c)));
    t.is(code, 0, 'SIGTERM stops both workers cleanly');
  }
});
