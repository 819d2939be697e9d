// Killing the worker (SIGKILL, a separate process) in the middle of a batch and starting it again:
// every message is delivered, and none that the provider already accepted reaches it a second time.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { enqueueOtpSms, STANDIN_FROM, spawnWorkerProcess, waitFor } from '../helpers/notify.js';
import {
  STANDIN_SID,
  STANDIN_TOKEN,
  startTwilioStandIn,
  type TwilioStandIn,
} from '../helpers/twilioStandIn.js';

let database: TestDatabase;
let twilio: TwilioStandIn;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fa-worker-'));
const children: ChildProcess[] = [];

test.before(async () => {
  database = await createTestDatabase();
  twilio = await startTwilioStandIn();
});
test.after.always(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await twilio?.close();
  await database?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function startWorkerProcess(): ChildProcess {
  const child = spawnWorkerProcess(database.url, dataDir, {
    TWILIO_ACCOUNT_SID: STANDIN_SID,
    TWILIO_AUTH_TOKEN: STANDIN_TOKEN,
    TWILIO_FROM: STANDIN_FROM,
    TWILIO_API_BASE_URL: twilio.url,
    TWILIO_STATUS_CALLBACK: 'false',
    SMS_RATE_PER_SECOND: '0',
    WORKER_CONCURRENCY: '8',
    WORKER_HEARTBEAT_MS: '200',
    WORKER_DEAD_AFTER_MS: '1000',
    PROVIDER_TIMEOUT_MS: '5000',
  });
  children.push(child);
  return child;
}

test('a worker killed mid-batch and restarted delivers every message once', async (t) => {
  const total = 300;
  await enqueueOtpSms(database, total, { key: 'crash', lang: 'en', firstNumber: 20_000_000 });
  // Each answer takes 40 ms after the stand-in has accepted the message: the window a crash can hit.
  twilio.delayMs = 40;

  const first = startWorkerProcess();
  await waitFor('the first worker to be half-way', async () => twilio.accepted.length >= 100, 30_000);
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  const acceptedAtKill = twilio.accepted.length;
  const inFlight = await database
    .db('messages')
    .where({ status: 'sending' })
    .count<{ n: number }[]>('* as n');
  const caughtMidCall = Number(inFlight[0]?.n ?? 0);
  t.true(acceptedAtKill < total, 'killed before the end');
  t.true(caughtMidCall > 0, 'the kill caught messages between marked sending and recorded sent');

  const second = startWorkerProcess();
  await waitFor(
    'every message to be sent',
    async () => {
      const [row] = await database
        .db('messages')
        .whereNot({ status: 'sent' })
        .count<{ n: number }[]>('* as n');
      return Number(row?.n) === 0;
    },
    60_000,
  );
  second.kill('SIGTERM');
  const code = await new Promise((r) => second.once('exit', (c) => r(c)));
  t.is(code, 0, 'SIGTERM stops the worker cleanly');

  // Exactly one accepted message per recipient, and each recorded sid is the one the stand-in gave.
  const byTo = new Map<string, number>();
  for (const a of twilio.accepted) byTo.set(a.to, (byTo.get(a.to) ?? 0) + 1);
  t.is(byTo.size, total);
  t.deepEqual(
    [...byTo.values()].filter((n) => n > 1),
    [],
    'no duplicate reached the provider',
  );
  const sids = new Set(twilio.accepted.map((a) => a.sid));
  const rows = await database.db('messages').select('provider_id');
  t.true(rows.every((r) => sids.has(r.provider_id)));
  t.log(
    `killed after ${acceptedAtKill} accepted, ${caughtMidCall} caught mid-call; ${twilio.requests} POSTs for ${total} messages`,
  );
});
