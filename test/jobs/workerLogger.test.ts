// graphile-worker's own log in the job runners: its warnings and errors reach the service's log (with what it
// says about them), its chatter does not.
import { Writable } from 'node:stream';
import test from 'ava';
import { warningsAndErrorsTo } from '../../src/jobs/workerLogger.js';
import { createLogger } from '../../src/logger.js';

test('errors and warnings pass, with their details; info and debug are dropped', async (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const worker = warningsAndErrorsTo(createLogger('debug', sink));
  worker.error('job failed', { task: 'draw', attempts: 3 });
  worker.warn('queue slow');
  worker.info('worker started');
  worker.debug('polling');
  await new Promise((r) => setImmediate(r));
  t.deepEqual(
    lines.map((l) => [l.level, l.msg, l.task ?? null]),
    [
      [50, 'job failed', 'draw'],
      [40, 'queue slow', null],
    ],
  );
});
