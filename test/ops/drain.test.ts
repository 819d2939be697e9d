// SIGTERM (and Ctrl-C on npm start) under steady load: every request sent before the signal is answered,
// new connections are refused, the worker, the pools and then the embedded PostgreSQL stop, no error logged.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {
  embeddedEnv,
  errorLines,
  openCampaign,
  PROCESS_TEST_MS,
  type ServiceProcess,
  sharedDatabase,
  smsLoad,
  startService,
  tempDataDir,
} from '../helpers/serviceProcess.js';

/** Runs load, signals at `signalAt` ms, and returns what the requests sent before the signal got. */
async function signalUnderLoad(
  t: import('ava').ExecutionContext,
  service: ServiceProcess,
  code: string,
  signal: () => void,
  viaNpm = false,
) {
  const load = smsLoad(service.url, code, 100);
  await load.start();
  // steady load first, then the signal while every connection has a request in flight
  const until = async (ok: () => boolean) => {
    while (!ok()) await new Promise((r) => setTimeout(r, 5));
  };
  await until(() => load.sent.filter((r) => r.status === 200).length >= 20);
  await until(() => load.inFlight() === 8);
  const sentBefore = load.sent.length; // nothing else runs between this line and the signal
  signal();
  const exit = await service.exited;
  await load.stop();
  const before = load.sent.slice(0, sentBefore);
  const after = load.sent.slice(sentBefore);
  t.log(
    `sent before the signal: ${before.length}, after: ${after.length} (${after.filter((r) => r.status === 200).length} answered)`,
  );
  t.true(before.length >= 28, `steady load before the signal (${before.length} requests)`);
  t.deepEqual(
    before.filter((r) => r.status !== 200),
    [],
    'every request sent before the signal was answered',
  );
  t.deepEqual(errorLines(service.output()), [], 'no error in the log');
  // npm, signalled with its group, ends itself by the same signal once the service has stopped
  t.true(exit.code === 0 || (viaNpm && exit.signal === 'SIGINT'), `${JSON.stringify(exit)}`);
  t.regex(service.output(), /"msg":"stopped"/);
}

test('SIGTERM under load answers every request sent before it, then stops the worker, the pools and the embedded database without an error', async (t) => {
  t.timeout(PROCESS_TEST_MS); // a busy machine starts processes slowly
  const dataDir = tempDataDir('drain', t);
  const env = { ...embeddedEnv(dataDir), RUN_WORKER: 'true' };
  const service = await startService(env);
  const setup = await sharedDatabase(dataDir);
  const campaign = await openCampaign(setup.db);
  await setup.db.destroy();
  await signalUnderLoad(t, service, campaign.code, () => service.child.kill('SIGTERM'));
  t.false(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), 'the embedded PostgreSQL stopped last');

  // Ctrl-C in a terminal: SIGINT to the whole process group of `npm start`
  const npm = spawn('npm', ['start'], {
    env: { ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const viaNpm = await startService(env, undefined, npm);
  await signalUnderLoad(t, viaNpm, campaign.code, () => process.kill(-npm.pid!, 'SIGINT'), true);
  t.false(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid')));
});
