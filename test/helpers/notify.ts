// Notification test helpers: a worker on a test database wired to the stand-ins, and waiting for messages.
import { type ChildProcess, spawn } from 'node:child_process';
import { createLogger } from '../../src/logger.js';
import type { ChannelAdapter } from '../../src/notify/channel.js';
import { outboxChannel } from '../../src/notify/channel.js';
import { enqueueNotice } from '../../src/notify/enqueue.js';
import type { Channel } from '../../src/notify/notice.js';
import { smtpChannel } from '../../src/notify/smtpChannel.js';
import { twilioChannel } from '../../src/notify/twilioChannel.js';
import { type NotifyWorker, type NotifyWorkerOptions, startNotifyWorker } from '../../src/notify/worker.js';
import { TEST_DATA_KEY, type TestDatabase } from './db.js';
import { entryArgs } from './runScript.js';
import { STANDIN_SID, STANDIN_TOKEN } from './twilioStandIn.js';

export const STANDIN_FROM = '+15005550006';

export function standInChannels(o: {
  twilioUrl?: string;
  smtpUrl?: string;
  timeoutMs?: number;
}): Record<Channel, ChannelAdapter> {
  const timeoutMs = o.timeoutMs ?? 2000;
  return {
    sms: o.twilioUrl
      ? twilioChannel({
          accountSid: STANDIN_SID,
          authToken: STANDIN_TOKEN,
          from: STANDIN_FROM,
          apiBaseUrl: o.twilioUrl,
          timeoutMs,
        })
      : outboxChannel(),
    email: o.smtpUrl
      ? smtpChannel({
          url: o.smtpUrl,
          from: 'City notices <notices@city.example>',
          poolSize: 2,
          timeoutMs,
          messageIdDomain: 'city.example',
        })
      : outboxChannel(),
  };
}

/** Enqueues `count` one-time-code SMS in one transaction, each to its own number; returns their message ids. */
export async function enqueueOtpSms(
  database: TestDatabase,
  count: number,
  o: { key: string; lang: 'ko' | 'en'; firstNumber: number },
): Promise<string[]> {
  return database.db.transaction(async (trx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const notice = {
        kind: 'otp' as const,
        channel: 'sms' as const,
        to: `+8210${String(o.firstNumber + i)}`,
        lang: o.lang,
        params: { code: String(100_000 + i), minutes: 5 },
        dedupeKey: `${o.key}:${i}`,
      };
      ids.push((await enqueueNotice(trx, notice, TEST_DATA_KEY)).messageId);
    }
    return ids;
  });
}

export function startTestWorker(
  database: TestDatabase,
  channels: Record<Channel, ChannelAdapter>,
  over: Partial<NotifyWorkerOptions> = {},
): Promise<NotifyWorker> {
  return startNotifyWorker({
    connectionString: database.url,
    channels,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    dataKey: TEST_DATA_KEY,
    concurrency: 4,
    poolMax: 6,
    ratePerSecond: { sms: 0, email: 0 },
    maxAttempts: 4,
    backoff: { baseMs: 20, maxMs: 100 },
    heartbeatMs: 200,
    deadAfterMs: 1000,
    ...over,
  });
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `npm run worker` as a separate process against a test database (the secrets test/helpers/db.ts seals with). */
export function spawnWorkerProcess(
  databaseUrl: string,
  dataDir: string,
  env: Record<string, string> = {},
): ChildProcess {
  return spawn(process.execPath, entryArgs('src/worker.ts'), {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      SESSION_SECRET: '01'.repeat(32),
      IDENTITY_PEPPER: '02'.repeat(32),
      DATA_KEY: '03'.repeat(32),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
