// npm run bench -- notify [--messages 10000] [--rate 200] [--concurrency 32]
// Pushes messages through the real queue (graphile-worker), the real send_message task and the real
// twilio client to the local stand-in of the Messages API, first unthrottled, then at a set rate.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import os from 'node:os';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { migrateWorkerSchema } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { outboxChannel } from '../../src/notify/channel.js';
import { enqueueNotice } from '../../src/notify/enqueue.js';
import { twilioChannel } from '../../src/notify/twilioChannel.js';
import { startNotifyWorker } from '../../src/notify/worker.js';
import { STANDIN_SID, STANDIN_TOKEN } from '../../test/helpers/twilioStandIn.js';
import { benchDatabase, printTable } from './env.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '32' },
    pool: { type: 'string', default: '20' },
    'local-queue': { type: 'string', default: '' },
  },
});
const N = Number(values.messages);
const RATE = Number(values.rate);
const CONCURRENCY = Number(values.concurrency);
const POOL = Number(values.pool);

const bench = await benchDatabase('notify', 10);
await migrateWorkerSchema(bench.url);
const DATA_KEY = randomBytes(32);
// The stand-in runs in a child process: a real provider does not share the worker's CPU.
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/twilioStandInProcess.ts'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [line] = (await once(readline.createInterface({ input: child.stdout! }), 'line')) as [string];
const standIn = JSON.parse(line) as { url: string; stats: string };
async function acceptedSoFar(): Promise<Array<{ to: string; t: number }>> {
  const res = (await (await fetch(standIn.stats)).json()) as { accepted: Array<[string, number]> };
  return res.accepted.map(([to, t]) => ({ to, t }));
}
async function standInCpu(): Promise<number> {
  const res = (await (await fetch(`${standIn.stats}?cpu`)).json()) as { cpu: number };
  return res.cpu;
}
const logger = createLogger('warn');
let batch = 0;

async function enqueueAll(label: string): Promise<number> {
  const started = performance.now();
  batch++;
  for (let i = 0; i < N; i += 1000) {
    await bench.db.transaction(async (trx) => {
      for (let j = i; j < Math.min(N, i + 1000); j++) {
        await enqueueNotice(
          trx,
          {
            kind: 'otp',
            channel: 'sms',
            to: `+8210${String(batch * 10_000_000 + j).padStart(8, '0')}`,
            lang: 'ko',
            params: { code: String(100_000 + j), minutes: 5 },
            dedupeKey: `${label}:${j}`,
          },
          DATA_KEY,
        );
      }
    });
  }
  return (N / (performance.now() - started)) * 1000;
}

async function run(label: string, rate: number) {
  const enqueueRate = await enqueueAll(label);
  const acceptedBefore = (await acceptedSoFar()).length;
  const worker = await startNotifyWorker({
    connectionString: bench.url,
    dataKey: DATA_KEY,
    channels: {
      sms: twilioChannel({
        accountSid: STANDIN_SID,
        authToken: STANDIN_TOKEN,
        from: '+15005550006',
        apiBaseUrl: standIn.url,
        timeoutMs: 10_000,
      }),
      email: outboxChannel(),
    },
    logger,
    concurrency: CONCURRENCY,
    poolMax: POOL,
    ratePerSecond: { sms: rate, email: 0 },
    maxAttempts: 5,
    backoff: { baseMs: 100, maxMs: 1000 },
    heartbeatMs: 5000,
    deadAfterMs: 30_000,
    ...(values['local-queue'] ? { localQueueSize: Number(values['local-queue']) } : {}),
  });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const standInCpuBefore = await standInCpu();
  for (;;) {
    const [row] = await bench.db('messages').where({ status: 'sent' }).count<{ n: number }[]>('* as n');
    if (Number(row?.n) >= N * batch) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const standInCpuUsed = (await standInCpu()) - standInCpuBefore;
  await worker.stop();
  const accepted = (await acceptedSoFar()).slice(acceptedBefore);
  const times = accepted.map((a) => a.t).sort((a, b) => a - b);
  const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
  // The busiest one-second window anywhere in the run: a rate limit must hold there too.
  let busiest = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while ((times[j] ?? 0) - (times[i] ?? 0) >= 1000) i++;
    busiest = Math.max(busiest, j - i + 1);
  }
  const achieved = (accepted.length - 1) / span;
  return {
    run: label,
    messages: accepted.length,
    'enqueue/s': Math.round(enqueueRate),
    'limit/s': rate || 'none',
    'drain s': elapsed.toFixed(2),
    'sent/s (drain)': Math.round(N / elapsed),
    // CPU seconds of this process (the worker) and of the stand-in while draining; PostgreSQL's is not counted
    'worker cpu s': ((cpu.user + cpu.system) / 1e6).toFixed(1),
    'stand-in cpu s': standInCpuUsed.toFixed(1),
    'load avg': (os.loadavg()[0] ?? 0).toFixed(1),
    'sent/s (provider)': Math.round(achieved),
    'busiest 1 s': busiest,
    'vs limit': rate ? `${(((achieved - rate) / rate) * 100).toFixed(1)} %` : '',
    duplicates: accepted.length - new Set(accepted.map((a) => a.to)).size,
  };
}

try {
  const rows = [await run('unthrottled', 0), await run('limited', RATE)];
  console.log(
    `\nnotify: ${N} SMS per run through graphile-worker (concurrency ${CONCURRENCY}, pool ${POOL}) and the twilio client to a local stand-in (${bench.server})\n`,
  );
  printTable(rows);
  console.log('\ntargets: >= 1,000/s unthrottled; the limited run within 5 % of its limit\n');
} finally {
  child.kill('SIGTERM');
  await bench.close();
}
