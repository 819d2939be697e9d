// npm run worker (src/worker.ts) alone is enough to send: with RUN_WORKER=false on the web instances it also
// runs the draw's results fan-out, not only send_message.

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { enqueueResultFanout } from '../../src/commands/resultFanout.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
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
  // A fan-out for a campaign with no draw finishes at once with nothing to send: enough to see who runs it.
  await database.db.transaction((trx) => enqueueResultFanout(trx, randomUUID()));
  const child = spawnWorkerProcess(database.url, dataDir);
  try {
    await waitFor(
      'the fan-out job to be done',
      async () => {
        const [row] = await database
          .db('graphile_worker.jobs')
          .where({ task_identifier: 'draw_results_fanout' })
          .count<{ n: number }[]>('* as n');
        return Number(row?.n) === 0;
      },
      30_000,
    );
    t.pass();
  } finally {
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', (c) => r(c)));
    t.is(code, 0, 'SIGTERM stops both workers cleanly');
  }
});
