// kill -9 under load on the embedded database: the next start recovers the server the killed run left
// behind, and every application acknowledged before the kill is there exactly once. `npm run staff` works
// against the running service's database.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { runningPostmaster } from '../../src/db/postmaster.js';
import {
  embeddedEnv,
  failureReport,
  openCampaign,
  PROCESS_TEST_MS,
  sharedDatabase,
  smsLoad,
  startService,
  tempDataDir,
} from '../helpers/serviceProcess.js';

test('after kill -9 under load the service starts again on the same data, with every acknowledged application once', async (t) => {
  t.timeout(PROCESS_TEST_MS); // a busy machine starts processes slowly
  const dataDir = tempDataDir('crash', t);
  const env = { ...embeddedEnv(dataDir), RUN_WORKER: 'true' };
  const first = await startService(env);
  const setup = await sharedDatabase(dataDir);
  t.is(setup.sharedWith, first.child.pid, 'a second process shares the running server');
  const campaign = await openCampaign(setup.db);
  await setup.db.destroy();

  const load = smsLoad(first.url, campaign.code, 40);
  await load.start();
  while (load.sent.filter((r) => r.status === 200).length < 40) await new Promise((r) => setTimeout(r, 50));
  first.child.kill('SIGKILL');
  await first.exited;
  await load.stop();
  const acked = load.sent.filter((r) => r.status === 200);
  t.true(
    load.sent.some((r) => r.error),
    'some requests were cut off by the kill',
  );
  const orphan = runningPostmaster(path.join(dataDir, 'pg'));
  t.truthy(orphan, 'the killed run left its PostgreSQL running');

  const second = await startService(env);
  t.regex(second.output(), /"msg":"listening"/);
  t.falsy(runningPostmaster(path.join(dataDir, 'pg'))?.pid === orphan?.pid, 'the orphan was stopped');
  const check = await sharedDatabase(dataDir);
  const sids = load.sent.map((r) => r.sid);
  const inbound = await check.db('sms_inbound').whereIn('message_sid', sids).select('message_sid', 'outcome');
  const outcome = new Map(inbound.map((r) => [r.message_sid as string, r.outcome as string]));
  for (const r of acked) t.is(outcome.get(r.sid), 'ok', `acknowledged ${r.sid} is recorded as applied`);
  const applied = inbound.filter((r) => r.outcome === 'ok').length;
  const { count } = (await check
    .db('applications')
    .where({ campaign_id: campaign.id })
    .count('* as count')
    .first()) as {
    count: string;
  };
  t.is(Number(count), applied, 'one application per applied message, none twice');
  t.true(Number(count) >= acked.length);

  // npm run staff while the service runs: it uses the service's database instead of starting another server
  const staff = spawn(
    'npm',
    ['run', '--silent', 'staff', '--', 'add', '--email', 'night@city.example', '--role', 'auditor'],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let staffOut = '';
  staff.stdout.on('data', (c: Buffer) => (staffOut += c));
  staff.stderr.on('data', (c: Buffer) => (staffOut += c));
  t.is(await new Promise((r) => staff.on('exit', r)), 0, staffOut);
  t.regex(staffOut, /one-time sign-in link/);
  t.truthy(await check.db('staff').where({ email: 'night@city.example' }).first());
  await check.db.destroy();
  t.truthy(runningPostmaster(path.join(dataDir, 'pg')), 'the staff tool left the service its database');

  second.child.kill('SIGTERM');
  t.is((await second.exited).code, 0, failureReport(second.output()));
  t.false(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid')));
  t.log(
    `acknowledged before the kill: ${acked.length}, applied in all: ${applied}, sent: ${load.sent.length}`,
  );
});
