// The service as a real process (src/main.ts from its build, as `node dist/src/main.js` runs it), and steady
// application load against it over loopback: SMS applications through the development webhook.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../src/clock.js';
import { createCampaign } from '../../src/commands/saveCampaign.js';
import { EMBEDDED_DB_NAME } from '../../src/db/database.js';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { createDb, type Db } from '../../src/db/knex.js';
import { parseCampaignBody } from '../../src/http/routes/campaigns/schema.js';
import { buildVoucherCampaign } from './factories.js';
import { entryArgs } from './runScript.js';

/** Time a test that runs service processes may take (ava's default would stop it after 60 s without a result). */
export const PROCESS_TEST_MS = 240_000;

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Environment without DATABASE_URL: the service runs its embedded PostgreSQL under DATA_DIR. */
export function embeddedEnv(dataDir: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _unused, ...env } = process.env;
  return { ...env, DATA_DIR: dataDir, DEMO_DATA: 'false', LOG_LEVEL: 'info' };
}

/** A fresh DATA_DIR, removed when the test ends (passed or not). */
export function tempDataDir(label: string, t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fa-${label}-`));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts src/main.ts (entryArgs), or watches a child already started (`npm start`, say), until it listens. */
export function startService(
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
  started?: ChildProcess,
): Promise<ServiceProcess> {
  return new Promise((resolve, reject) => {
    const child =
      started ??
      spawn(process.execPath, entryArgs('src/main.ts'), {
        env: { PORT: '0', RUN_WORKER: 'false', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    let out = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.on('exit', (code, signal) => r({ code, signal })),
    );
    const timer = setTimeout(() => {
      child.kill('SIGTERM'); // never leave a half-started service behind the test
      reject(new Error(`did not start within ${timeoutMs / 1000} s:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(/"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"listening"/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`exited (${signal ?? code}) before listening:\n${out}`));
    });
  });
}

/**
 * What to show when a process ended badly: its error lines first (the start of a crash report is what says
 * which part failed; a plain tail showed only the dump of a database client), then the last of its output.
 */
export function failureReport(output: string): string {
  return `error lines:\n${errorLines(output).join('\n').slice(0, 4000)}\n--- last output:\n${output.slice(-1500)}`;
}

/** Lines of a process's output that report an error: pino level >= 50, or any non-JSON line naming one. */
export function errorLines(output: string): string[] {
  return output.split('\n').filter((line) => {
    if (!line.trim()) return false;
    try {
      return Number((JSON.parse(line) as { level?: number }).level) >= 50;
    } catch {
      return /error|fatal|EPIPE|ECONNRESET|undefined/i.test(line);
    }
  });
}

/** A connection to the database of a running service's embedded PostgreSQL (shared, never stopped by us). */
export async function sharedDatabase(dataDir: string): Promise<{ db: Db; sharedWith: number | undefined }> {
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), persistent: true });
  return { db: createDb(embedded.urlFor(EMBEDDED_DB_NAME), 2), sharedWith: embedded.sharedWith };
}

/** A voucher campaign open now by the database clock, as the reconciler would have opened it. */
export async function openCampaign(db: Db): Promise<{ id: string; code: string }> {
  const input = parseCampaignBody(buildVoucherCampaign(new Date()));
  const c = await createCampaign({ db, clock: systemClock }, { kind: 'system', name: 'test' }, input);
  await db.raw(
    `UPDATE campaigns SET state = 'open', opens_at = now() - interval '1 hour', closes_at = now() + interval '1 day',
       draw_at = now() + interval '2 days', claim_opens_at = now() + interval '3 days',
       claim_closes_at = now() + interval '30 days' WHERE id = ?`,
    [c.id],
  );
  return { id: c.id, code: c.code };
}

export interface SentRequest {
  sid: string;
  sentAt: number;
  status?: number;
  error?: string;
}

let phoneCounter = 0;

/**
 * SMS applications at `perSecond`, at most `connections` at a time over as many keep-alive connections
 * (opened before the load starts), each from a new phone. stop() ends the load and waits for the answers.
 */
export function smsLoad(url: string, campaignCode: string, perSecond: number, connections = 8) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const sent: SentRequest[] = [];
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const post = (r: SentRequest | undefined, body: string) =>
    new Promise<void>((resolve) => {
      const req = http.request(
        `${url}/webhooks/twilio/inbound`,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (r) r.status = res.statusCode;
            resolve();
          });
          res.on('error', (err) => {
            if (r) r.error = (err as NodeJS.ErrnoException).code ?? err.message;
            resolve();
          });
        },
      );
      req.on('error', (err) => {
        if (r) r.error = (err as NodeJS.ErrnoException).code ?? err.message;
        resolve();
      });
      req.end(body);
    });
  const form = (sid: string, phone: string) =>
    new URLSearchParams({
      MessageSid: sid,
      From: phone,
      Body: `APPLY ${campaignCode} 100000 19820315`,
    }).toString();
  const phone = () => {
    phoneCounter++;
    return `+8210${String(5000 + (phoneCounter % 5000)).padStart(4, '0')}${String(phoneCounter).padStart(4, '0').slice(-4)}`;
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    sent,
    inFlight: () => inFlight,
    /** opens the connections (HELP messages, no application) and starts the load */
    async start() {
      await Promise.all(
        Array.from({ length: connections }, () =>
          post(undefined, new URLSearchParams({ MessageSid: sid(), From: phone(), Body: 'HELP' }).toString()),
        ),
      );
      timer = setInterval(() => {
        if (inFlight >= connections) return;
        const r: SentRequest = { sid: sid(), sentAt: Date.now() };
        sent.push(r);
        inFlight++;
        const p = post(r, form(r.sid, phone())).finally(() => {
          inFlight--;
          pending.delete(p);
        });
        pending.add(p);
      }, 1000 / perSecond);
    },
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
      agent.destroy();
    },
  };
}

const sid = () => `SM${randomBytes(16).toString('hex')}`;
