// The simulator's city: a fresh database (DATABASE_URL's server, or a throwaway embedded PostgreSQL), the real
// service (src/main.ts) as its own process on 127.0.0.1 with the development payment provider, residents with
// sessions signed by the service's key (verification itself is not what is compared), and the campaign.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../src/clock.js';
import { createCampaign } from '../../src/commands/saveCampaign.js';
import type { Db } from '../../src/db/knex.js';
import { findRoom, updateRoomRules } from '../../src/db/repos/instantRooms.js';
import { encryptText } from '../../src/identity/crypto.js';
import { signResidentToken } from '../../src/identity/residentSession.js';
import { benchVoucherCampaign } from '../bench/campaigns.js';
import { type BenchDatabase, benchDatabase } from '../bench/env.js';
import { startServiceProcess } from '../bench/serviceProcess.js';

export const UNIT = 10_000;

export interface City {
  /** the first web process's (it runs the reconciler and the workers) */
  url: string;
  /** every web process's, the first first; resident n uses urls[n % urls.length], as a balancer keeps a client on one */
  urls: string[];
  bench: BenchDatabase;
  secrets: Record<'SESSION_SECRET' | 'IDENTITY_PEPPER' | 'DATA_KEY', string>;
  /** the service's process ids, one a web process (their CPU time is read from /proc for the report) */
  pids: number[];
  /** the service's log (warnings and errors) */
  log: string;
  /** stops the service and the database; resolves to when the service had exited (ms since the epoch) */
  stop(): Promise<number>;
}

export interface Faults {
  failureRate: number;
  latencyMs: number;
}

/**
 * The service's warnings and errors go to `<outDir>/service.log` (the reason behind a 5xx, when one is counted).
 * `webProcesses` > 1 starts more web-only instances beside it (RUN_WORKER and RUN_SCHEDULER off, as README's
 * larger deployments run them), on the same database, each logging to `service-<n>.log`.
 */
export async function startCity(faults: Faults, outDir: string, webProcesses = 1): Promise<City> {
  fs.mkdirSync(outDir, { recursive: true });
  const logFile = path.join(outDir, 'service.log');
  const secrets = {
    SESSION_SECRET: randomBytes(32).toString('hex'),
    IDENTITY_PEPPER: randomBytes(32).toString('hex'),
    DATA_KEY: randomBytes(32).toString('hex'),
  };
  const bench = await benchDatabase('simulate', 4);
  const dataDirs: string[] = [];
  const start = async (n: number) => {
    const log = n === 1 ? logFile : path.join(outDir, `service-${n}.log`);
    fs.rmSync(log, { force: true });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fa-sim-'));
    dataDirs.push(dataDir);
    // SIM_PROFILE_DIR=dir writes the service's CPU profile there (where its time goes, not a guess).
    return startServiceProcess({
      nodeArgs: [
        ...(process.env.SIM_SERVICE_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
        ...(process.env.SIM_PROFILE_DIR
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SIM_PROFILE_DIR}`]
          : []),
      ],
      env: {
        ...secrets,
        NODE_ENV: 'development',
        DATABASE_URL: bench.url,
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: '0',
        DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
        DEV_PAY_FAILURE_RATE: String(faults.failureRate),
        DEV_PAY_LATENCY_MS: String(faults.latencyMs),
        // The operator's setting for a rush, as the room's rules are: 16 purchases at once (one a stock row) need
        // 18 connections; at the default 10, 8 at once make each flush of the log commit at most 8 purchases.
        DATABASE_POOL_MAX: '20',
        ...(n > 1 ? { RUN_WORKER: 'false', RUN_SCHEDULER: 'false' } : {}),
      },
      timeoutMs: 60_000,
      logFile: log,
    });
  };
  const services: Array<Awaited<ReturnType<typeof startServiceProcess>>> = [];
  const stopAll = () =>
    Promise.all(
      services.map(async ({ child }) => {
        child.kill('SIGTERM');
        if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      }),
    );
  const removeDataDirs = () => {
    for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
  };
  try {
    // one after another: the first migrates the database, the others find it migrated
    for (let n = 1; n <= webProcesses; n++) services.push(await start(n));
  } catch (err) {
    await stopAll();
    await bench.close();
    removeDataDirs();
    throw err;
  }
  return {
    url: services[0]!.url,
    urls: services.map((s) => s.url),
    bench,
    secrets,
    pids: services.flatMap((s) => (s.child.pid ? [s.child.pid] : [])),
    log: logFile,
    async stop() {
      await stopAll();
      const exited = Date.now();
      await bench.close();
      removeDataDirs();
      return exited;
    },
  };
}

/**
 * N residents: identity rows and resident sessions signed with the service's key, each with the phone number a
 * sign-in by SMS gives (sealed as sign-in seals it), so the service tells them by SMS as it would a city's: until
 * 2026-12-05 they had none, and an opening's pass that wrote a turn notice each took 10.9 s unseen.
 */
export async function residentsOf(city: City, n: number): Promise<Array<{ id: string; token: string }>> {
  const { rows } = await city.bench.db.raw(
    `INSERT INTO identities (identity_key, method, birth_date, birth_year)
     SELECT encode(sha256(('sim' || g)::bytea), 'hex'), 'sms', DATE '1950-01-01' + (g % 18000), 1950
     FROM generate_series(1, ?) g RETURNING id`,
    [n],
  );
  const key = Buffer.from(city.secrets.SESSION_SECRET, 'hex');
  const sealing = {
    identityPepper: Buffer.from(city.secrets.IDENTITY_PEPPER, 'hex'),
    dataKey: Buffer.from(city.secrets.DATA_KEY, 'hex'),
  };
  const now = new Date();
  return Promise.all(
    (rows as Array<{ id: string }>).map(async (r, i) => ({
      id: r.id,
      token: await signResidentToken(
        key,
        {
          sub: r.id,
          m: 'sms',
          bd: null,
          bs: null,
          cc: 'sms',
          ce: encryptText(sealing, `+8210${String(50_000_000 + i).padStart(8, '0')}`, 'contact'),
          lang: 'ko',
        },
        now,
      ),
    })),
  );
}

/** The campaign, by the database clock: an instant sale or a lottery, `stock` vouchers of 10,000 KRW, one a person. */
export async function createSale(
  city: City,
  mode: 'instant' | 'lottery',
  stock: number,
  window: { opensInMs: number; openForMs: number },
  /** told apart from the run's other sale (codes are unique), as the ceiling's is */
  codeSuffix = '',
) {
  const { rows } = await city.bench.db.raw('SELECT now() AS now');
  const now = (rows[0] as { now: Date }).now.getTime();
  const opens = window.opensInMs;
  const closes = opens + window.openForMs;
  const at = (ms: number) => new Date(now + ms);
  const input = benchVoucherCampaign({
    code: `SIM${mode === 'instant' ? 'I' : 'L'}${process.pid % 100000}${codeSuffix}`,
    title: mode === 'instant' ? '즉시 구매 모의 실험' : '추첨 모의 실험',
    mode,
    opensAt: at(opens),
    closesAt: at(closes),
    drawAt: at(closes + 1000),
    claimOpensAt: at(closes + 2000),
    claimClosesAt: at(closes + 86_400_000),
    total: stock * UNIT,
    perPersonMax: UNIT,
  });
  const c = await createCampaign(
    { db: city.bench.db, clock: systemClock },
    { kind: 'system', name: 'simulator' },
    input,
  );
  await city.bench.db('campaigns').where({ id: c.id }).update({ state: 'scheduled', discount_bp: 1000 });
  return { id: c.id, code: c.code, opensAt: now + opens, closesAt: now + closes };
}

/** The sale's waiting room, once the service's reconciler has made it (within a second of scheduling). */
export async function untilRoom(db: Db, saleId: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await findRoom(db, saleId))) {
    if (Date.now() > until)
      throw new Error(`the service made no waiting room for sale ${saleId} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The rush rules' most at the counter at once, and how long a purchase holds its stock for the payment. */
export const RUSH_MAX_ACTIVE = 5000;
export const RUSH_HOLD_SECONDS = 300;

/** The operator's waiting-room rules for a rush: admit fast, many at the counter at once; set before anyone joins. */
export async function setRushRules(db: Db, saleId: string, overbookPercent: number): Promise<void> {
  await db.transaction((trx) =>
    updateRoomRules(trx, saleId, {
      prequeue_minutes: 30,
      admit_per_second: 5000,
      max_active: RUSH_MAX_ACTIVE,
      token_seconds: 120,
      hold_seconds: RUSH_HOLD_SECONDS,
      overbook_percent: overbookPercent,
    }),
  );
}
