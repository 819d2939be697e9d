// npm run bench -- intake [--seconds 10] [--connections 64] [--residents 120000] [--pool 10]
// Starts the real service (src/main.ts) against a fresh database, gives it many verified residents (identity
// rows plus the resident session tokens /api/identity/verify would hand out, signed with the same secret), and
// drives POST /api/campaigns/:id/application over HTTP on 127.0.0.1 with autocannon: every request is a
// different person, verified by token, de-duplicated by the unique key and gated by the database clock, and
// queues its receipt notice in the same transaction (the notification worker is off, so sending is not measured).
// Also: pgbench's single-row unique-insert ceiling on the same database, and opening accuracy (opens_at to the
// first accepted application while residents are already knocking).
// Over 300 lines on purpose: set-up, load, the PostgreSQL ceiling and the table of one benchmark, in order.
import { type ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { systemClock } from '../../src/clock.js';
import { createCampaign } from '../../src/commands/saveCampaign.js';
import { encryptText } from '../../src/identity/crypto.js';
import { signResidentToken } from '../../src/identity/residentSession.js';
import { benchVoucherCampaign } from './campaigns.js';
import { benchDatabase, percentile, printTable } from './env.js';
import { startServiceProcess } from './serviceProcess.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    residents: { type: 'string', default: '120000' },
    // the service's own default (DATABASE_POOL_MAX)
    pool: { type: 'string', default: '10' },
    // 'no': residents without a contact, so no receipt notice is queued (isolates the notice's cost)
    receipts: { type: 'string', default: 'yes' },
    // a directory: the service writes a V8 CPU profile there when it stops
    profile: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const RESIDENTS = Number(values.residents);
const POOL = Number(values.pool);
const RECEIPTS = values.receipts !== 'no';

const secrets = {
  SESSION_SECRET: randomBytes(32).toString('hex'),
  IDENTITY_PEPPER: randomBytes(32).toString('hex'),
  DATA_KEY: randomBytes(32).toString('hex'),
  CLAIM_SIGNING_KEY: randomBytes(32).toString('hex'), // production requires it (signs claim QR codes)
};
const key = (n: keyof typeof secrets) => Buffer.from(secrets[n], 'hex');

const bench = await benchDatabase('intake', 4);
let child: ChildProcess | undefined;

async function startService(): Promise<string> {
  let url: string;
  ({ child, url } = await startServiceProcess({
    nodeArgs: values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [],
    env: {
      ...secrets,
      NODE_ENV: 'production',
      DATABASE_URL: bench.url,
      DATABASE_POOL_MAX: String(POOL),
      PORT: '0',
      DEMO_DATA: 'false',
      RUN_WORKER: 'false',
      LOG_LEVEL: 'warn',
    },
  }));
  return url;
}

async function campaign(code: string, opensInMs: number) {
  const now = Date.now();
  const at = (ms: number) => new Date(now + ms);
  const input = benchVoucherCampaign({
    code,
    title: 'Intake bench',
    opensAt: at(opensInMs),
    closesAt: at(3_600_000),
    drawAt: at(3_700_000),
    claimOpensAt: at(3_800_000),
    claimClosesAt: at(86_400_000),
    total: 1_500_000_000,
    perPersonMax: 250_000,
  });
  const c = await createCampaign(
    { db: bench.db, clock: systemClock },
    { kind: 'system', name: 'bench' },
    input,
  );
  await bench.db('campaigns').where({ id: c.id }).update({ state: 'scheduled' });
  return c;
}

async function residents(n: number): Promise<string[]> {
  const { rows } = await bench.db.raw(
    `INSERT INTO identities (identity_key, method, birth_date, birth_year, phone_hash)
     SELECT encode(sha256(('bench' || g)::bytea), 'hex'), 'sms', DATE '1980-01-01' + (g % 9000), 1980, NULL
     FROM generate_series(1, ?) g RETURNING id, to_char(birth_date, 'YYYY-MM-DD') AS bd`,
    [n],
  );
  const ce = encryptText(
    { identityPepper: key('IDENTITY_PEPPER'), dataKey: key('DATA_KEY') },
    '+821012345678',
    'contact',
  );
  const now = new Date();
  const tokens: string[] = [];
  for (const r of rows as Array<{ id: string; bd: string }>) {
    tokens.push(
      await signResidentToken(
        key('SESSION_SECRET'),
        {
          sub: r.id,
          m: 'sms',
          bd: r.bd,
          bs: 'declared',
          cc: RECEIPTS ? 'sms' : null,
          ce: RECEIPTS ? ce : null,
          lang: 'ko',
        },
        now,
      ),
    );
  }
  return tokens;
}

function fire(url: string, tokens: string[], seconds: number, connections: number) {
  let next = 0;
  return autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ amount: 100_000 }),
    requests: [
      {
        setupRequest: (req) => {
          const token = tokens[next++ % tokens.length]!;
          return { ...req, headers: { ...req.headers, 'x-resident-token': token } };
        },
      },
    ],
  });
}

/** CPU milliseconds a process has used so far (user + system), from /proc; 0 when it is gone. */
function cpuMsOf(pid: number): number {
  const { user, system } = cpuSplitOf(pid);
  return user + system;
}
function cpuSplitOf(pid: number): { user: number; system: number } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: (Number(f[11]) * 1000) / CLK_TCK, system: (Number(f[12]) * 1000) / CLK_TCK };
  } catch {
    return { user: 0, system: 0 };
  }
}
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * Where the CPU of a load window goes: the service, its PostgreSQL backends, and this process (the load
 * generator). On a 2-core machine all three share the cores, so their sum per application bounds the rate.
 */
async function cpuMeter(servicePid: number) {
  const backends = async () =>
    (
      await bench.db.raw(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      )
    ).rows.map((r: { pid: number }) => r.pid) as number[];
  const pids = await backends();
  const pgBefore = new Map(pids.map((p) => [p, cpuMsOf(p)]));
  const service0 = cpuMsOf(servicePid);
  const serviceSystem0 = cpuSplitOf(servicePid).system;
  const self0 = process.cpuUsage();
  return async () => {
    let pg = 0;
    for (const p of await backends()) pg += cpuMsOf(p) - (pgBefore.get(p) ?? 0);
    const self = process.cpuUsage(self0);
    return {
      service: cpuMsOf(servicePid) - service0,
      // the kernel's share (socket reads and writes, waking up): what the process's own code cannot shrink
      serviceSystem: cpuSplitOf(servicePid).system - serviceSystem0,
      postgres: pg,
      loadGenerator: (self.user + self.system) / 1000,
    };
  };
}

function pgbenchCeiling(seconds: number, clients: number): number {
  const bin =
    ['/usr/lib/postgresql/15/bin/pgbench', '/usr/bin/pgbench'].find((p) => fs.existsSync(p)) ?? 'pgbench';
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pgb-')), 'insert.sql');
  fs.writeFileSync(
    script,
    '\\set id random(1, 2000000000)\nINSERT INTO pgb_applications (campaign_id, identity_id) VALUES (1, :id) ON CONFLICT DO NOTHING;\n',
  );
  const out = execFileSync(
    bin,
    [
      '-n',
      '-c',
      String(clients),
      '-j',
      String(Math.min(clients, 4)),
      '-T',
      String(seconds),
      '-f',
      script,
      bench.url,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
}

try {
  const url = await startService();
  console.log(
    `intake bench: service ${url}, database ${bench.server} (${bench.url.replace(/\/\/[^@]*@/, '//')}), pool ${POOL}`,
  );
  const tokens = await residents(RESIDENTS);
  console.log(
    `  ${tokens.length} verified residents ready; receipt notices ${RECEIPTS ? 'queued' : 'off'}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

  // Opening accuracy: 64 connections already knocking from 1.5 s before opens_at.
  const opening = await campaign(`OPN${process.pid % 10000}`, 4000);
  const openingTokens = tokens.splice(0, 20_000);
  await new Promise((r) => setTimeout(r, 2500));
  await fire(`${url}/api/campaigns/${opening.id}/application`, openingTokens, 3, CONNECTIONS);
  const { rows: first } = await bench.db.raw(
    `SELECT extract(epoch FROM min(a.created_at) - c.opens_at) * 1000 AS delay_ms, count(*)::int AS n
     FROM applications a JOIN campaigns c ON c.id = a.campaign_id WHERE c.id = ? GROUP BY c.opens_at`,
    [opening.id],
  );

  // Throughput: an open campaign, every request a different verified person.
  const main = await campaign(`INT${process.pid % 10000}`, -1000);
  await fire(`${url}/api/campaigns/${main.id}/application`, tokens.slice(0, 2000), 2, CONNECTIONS); // warm-up
  await bench.db('applications').where({ campaign_id: main.id }).delete();
  const meter = await cpuMeter(child!.pid!);
  const result = await fire(
    `${url}/api/campaigns/${main.id}/application`,
    tokens.slice(2000),
    SECONDS,
    CONNECTIONS,
  );
  const cpu = await meter();
  const stored = Number(
    (await bench.db('applications').where({ campaign_id: main.id }).count<{ n: number }[]>('* as n'))[0]!.n,
  );

  // The service's pool is released first, so pgbench gets its 64 connections.
  child?.kill('SIGTERM');
  await new Promise((r) => child?.once('exit', r));
  child = undefined;
  await bench.db.raw(
    'CREATE TABLE pgb_applications (campaign_id int NOT NULL, identity_id bigint NOT NULL, created_at timestamptz DEFAULT now(), UNIQUE (campaign_id, identity_id))',
  );
  let ceiling = Number.NaN;
  try {
    ceiling = pgbenchCeiling(SECONDS, CONNECTIONS);
  } catch (err) {
    console.error(`pgbench failed: ${(err as { stderr?: string }).stderr ?? err}`);
  }

  const okPerSecond = result['2xx'] / SECONDS;
  printTable([
    {
      measure: 'applications accepted / s (HTTP, 64 connections)',
      value: okPerSecond.toFixed(0),
      target: '>= 1500',
    },
    { measure: 'latency p50 (ms)', value: result.latency.p50, target: '' },
    { measure: 'latency p99 (ms)', value: result.latency.p99, target: '< 100' },
    {
      measure: 'non-2xx responses / errors / timeouts',
      value: `${result.non2xx} / ${result.errors} / ${result.timeouts}`,
      target: '0',
    },
    {
      measure: 'applications stored (2xx + in flight at stop)',
      value: `${stored} (${result['2xx']})`,
      target: '>= 2xx',
    },
    {
      measure: 'CPU ms per application: service / PostgreSQL / load generator',
      value: [cpu.service, cpu.postgres, cpu.loadGenerator]
        .map((ms) => (ms / result['2xx']).toFixed(2))
        .join(' / '),
      target: '',
    },
    {
      measure: 'of which the service in the kernel (system time)',
      value: (cpu.serviceSystem / result['2xx']).toFixed(2),
      target: '',
    },
    {
      measure: `CPU-bound rate on ${os.cpus().length} cores (cores / CPU per application)`,
      value: (
        (os.cpus().length * 1000 * result['2xx']) /
        (cpu.service + cpu.postgres + cpu.loadGenerator)
      ).toFixed(0),
      target: '',
    },
    { measure: 'pgbench unique insert ceiling (tps, 64 clients)', value: ceiling.toFixed(0), target: '' },
    { measure: 'intake / ceiling', value: `${((okPerSecond / ceiling) * 100).toFixed(1)} %`, target: '' },
    {
      measure: 'opening: opens_at -> first accepted application (ms)',
      value: first[0] ? Number(first[0].delay_ms).toFixed(1) : 'none accepted',
      target: '< 1000',
    },
  ]);
  void percentile;
} finally {
  child?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await bench.close();
}
