// npm run bench -- stock [--seconds 10] [--connections 100] [--sites 20] [--writers 8] [--readers child|same]
// [--reads-process on|off] [--readers-nice N] [--cpu-prof DIR] (--connections 0: collections alone, no readers)
// Starts the real service (src/main.ts) against a fresh database holding a drawn mask campaign whose pickup
// slots are open now, then for --seconds at once: autocannon reads GET /api/campaigns/:id/stock over
// --connections connections; --writers site staff mark awards collected through POST
// /api/sites/:site/collections (typed claim codes, as at a counter); and a prober reads the stock every 20 ms
// to measure staleness: for each collection, the time from its 201 to the first read that counts it. Writer w
// takes its k-th code at site (w + k * writers) mod sites, so 8 writers over 20 sites are at different sites
// unless they drift out of step. What the database's active sessions waited on is sampled meanwhile (waits.ts,
// every 25 ms: its own backend's CPU, ~1.2 ms a sample on a busy server, is left out of PostgreSQL's figure).
// The writers and the prober use node's http client on kept-alive sockets (fetch cost ~0.7 ms of CPU a request).
// Readers run in a child process by default (readersChild.mjs, autocannon's API): until then they ran in this process, so the
// writers' and the prober's timings included waiting behind autocannon's own ~7,000 responses a second in one
// loop; `--readers same` runs them that way still, for comparison with older figures. Either way they share the
// machine's two cores with the service and PostgreSQL. The service's own view is printed too (from its
// /metrics: koa's latency histogram of the collection route, its event-loop delay, GC), and this process's
// event-loop delay: a collection slow there but not in the service waited in the bench, not in the service.
// By default the service runs with STOCK_PORT, and the readers and the prober read the stock from its reads
// process (src/stockReads.ts, below-normal priority), as the proxy would send them; `--reads-process off`
// reads from the service itself, the shape before it. The table's "reads from" column says which.
// autocannon runs at nice 19 by default (--readers-nice 0 for the figures before 2026-12-03 22:30): phones are not
// on the server, so its own CPU (~0.06 ms a read, as much as the reads process's) goes behind the service's and
// PostgreSQL's; the reads process serving them stays at its own STOCK_NICE, and the writers and the prober at 0
// (they time the collections and the staleness, so their own waits for a core count against the figures).
// The table's "autocannon nice" column says which; reads/s is counted as before, by autocannon.
// Over 300 lines on purpose: set-up, readers, writers, the staleness prober and the table of one benchmark, in order.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { claimKeyOf } from '../../src/commands/awardNotices.js';
import { claimCodeFor } from '../../src/commands/claimCodes.js';
import { drawCampaign } from '../../src/commands/drawCampaign.js';
import type { DrawContext } from '../../src/commands/drawContext.js';
import { commitDraw, freezeDrawRoster } from '../../src/commands/drawHooks.js';
import { fanOutResults } from '../../src/commands/resultFanout.js';
import { addStaff } from '../../src/commands/staffAccounts.js';
import { seededRandom } from '../../src/crypto/random.js';
import { migrateAll } from '../../src/db/migrate.js';
import type { Campaign } from '../../src/domain/campaign.js';
import { closeClients, send } from '../simulate/client.js';
import { benchDatabase, percentile, printTable } from './env.js';
import { backendsCpuOf, childrenOf, cpuOf, endedChildrenCpu, machineCpu, runQueueWaitOf } from './proc.js';
import { startServiceProcess } from './serviceProcess.js';
import { sampleWaits } from './waits.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '100' },
    sites: { type: 'string', default: '20' },
    writers: { type: 'string', default: '8' },
    // a directory for the service's CPU profile (node --cpu-prof), written when it stops
    'cpu-prof': { type: 'string' },
    // where autocannon runs: 'child' (its own process, as phones are not in the service's or the writers' loop)
    // or 'same' (in this process, beside the writers and the prober: their timings then include its CPU)
    readers: { type: 'string', default: 'child' },
    // 'on': the stock is read from the service's reads process on STOCK_PORT; 'off': from the service itself
    'reads-process': { type: 'string', default: 'on' },
    // a nice value for autocannon's process: phones are not on the server, so its CPU can be put behind ours
    'readers-nice': { type: 'string', default: '19' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const SITES = Number(values.sites);
const WRITERS = Number(values.writers);
const READERS_IN = values.readers === 'same' ? 'same' : 'child';
const READS_PROCESS = values['reads-process'] !== 'off';
const READERS_NICE = Number(values['readers-nice']);
const STOCK_PORT = 20_000 + Math.floor(Math.random() * 20_000); // a clash fails the start, loudly
const CAPACITY = 400; // per slot; two slots per site, one item per winner

const hex = () => randomBytes(32).toString('hex');
const env = { SESSION_SECRET: hex(), IDENTITY_PEPPER: hex(), DATA_KEY: hex(), CLAIM_SIGNING_KEY: hex() };
const secrets = {
  sessionSecret: Buffer.from(env.SESSION_SECRET, 'hex'),
  identityPepper: Buffer.from(env.IDENTITY_PEPPER, 'hex'),
  dataKey: Buffer.from(env.DATA_KEY, 'hex'),
  claimSigningKey: Buffer.from(env.CLAIM_SIGNING_KEY, 'hex'),
};

const bench = await benchDatabase('stock', 4);
const db = bench.db;
await migrateAll(db, bench.url);
let child: ChildProcess | undefined;

const now = new Date();
const ago = (h: number) => new Date(now.getTime() - h * 3600_000);
const ctx: DrawContext = {
  db,
  clock: { now: () => now },
  secrets,
  random: seededRandom('bench-stock'),
  publicUrl: 'http://127.0.0.1',
  beaconSource: 'drand quicknet: the first round after {closes_at}',
};

/** A drawn campaign whose claim window and slots are open now; every winner's code indexed by the fan-out. */
async function drawnCampaign(): Promise<{ campaign: Campaign; codes: Map<string, string[]> }> {
  const N = SITES * 2 * CAPACITY;
  await db.raw(
    `INSERT INTO sites (id, name_ko, name_en, district, address)
     SELECT 'PH' || lpad(i::text, 3, '0'), '약국 ' || i, 'Pharmacy ' || i, '중구', '주소 ' || i FROM generate_series(0, ?::int - 1) i`,
    [SITES],
  );
  const [c] = await db('campaigns')
    .insert({
      code: 'BENCHSTOCK',
      kind: 'goods',
      mode: 'reservation',
      state: 'open',
      title_ko: '벤치마크 마스크',
      title_en: 'Benchmark masks',
      opens_at: ago(72),
      closes_at: ago(48),
      draw_at: ago(47),
      claim_opens_at: ago(1),
      claim_closes_at: ago(-120),
      unit: 'item',
      total: N,
      denomination: 1,
      per_person_max: 1,
      partial: 'partial',
      groups: JSON.stringify([]),
    })
    .returning('*');
  const campaign = c as Campaign;
  await db.raw(
    `INSERT INTO campaign_slots (campaign_id, id, site_id, starts_at, ends_at, capacity)
     SELECT ?, 'PH' || lpad(s::text, 3, '0') || '-' || k, 'PH' || lpad(s::text, 3, '0'),
            ?::timestamptz + k * interval '10 minutes', ?::timestamptz + interval '6 hours', ?
       FROM generate_series(0, ?::int - 1) s, generate_series(1, 2) k`,
    [campaign.id, ago(0.5), ago(0.5), CAPACITY, SITES],
  );
  await db.raw(
    `INSERT INTO identities (identity_key, method) SELECT 'bench-' || i, 'sms' FROM generate_series(1, ?::int) i`,
    [N],
  );
  await db.raw(
    `INSERT INTO applications (campaign_id, identity_id, public_id, channel, request, preferences)
     SELECT ?, id, upper(substr(md5(identity_key), 1, 10)), 'web', 1,
            ARRAY['PH' || lpad((abs(hashtext(identity_key)) % ?)::text, 3, '0')]
       FROM identities`,
    [campaign.id, SITES],
  );
  const fresh = (await db('campaigns').where({ id: campaign.id }).first()) as Campaign;
  await db.transaction((trx) => commitDraw(ctx, trx, fresh, ago(72)));
  await db.transaction(async (trx) => {
    await trx('campaigns').where({ id: campaign.id }).update({ state: 'closed' });
    await freezeDrawRoster(ctx, trx, fresh, ago(48));
  });
  await db('draws').where({ campaign_id: campaign.id }).update({ beacon: 'drand quicknet round 1: bench' });
  await drawCampaign(ctx, campaign.id);
  await fanOutResults(ctx, campaign.id);
  const key = await claimKeyOf(db, ctx, campaign.id);
  const winners: Array<{ site: string; application_id: string }> = await db('awards as a')
    .join('roster_entries as r', function () {
      this.on('r.campaign_id', 'a.campaign_id').andOn('r.public_id', 'a.public_id');
    })
    .where({ 'a.campaign_id': campaign.id, 'a.outcome': 'won' })
    .select('a.site', 'r.application_id');
  const codes = new Map<string, string[]>();
  for (const w of winners) {
    const list = codes.get(w.site) ?? [];
    list.push(claimCodeFor(key, w.application_id));
    codes.set(w.site, list);
  }
  return { campaign, codes };
}

async function startService(): Promise<string> {
  let url: string;
  ({ child, url } = await startServiceProcess({
    env: {
      ...env,
      NODE_ENV: 'production',
      DATABASE_URL: bench.url,
      PORT: '0',
      DEMO_DATA: 'false',
      RUN_WORKER: 'false',
      LOG_LEVEL: 'warn',
      ...(READS_PROCESS ? { STOCK_PORT: String(STOCK_PORT) } : {}),
    },
    nodeArgs: values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [],
  }));
  return url;
}

const serviceCpu = () => cpuOf(child!.pid);
/** The service's forked children (the stock reads process). */
const childrenOfService = () => childrenOf(child!.pid);
const readsCpu = () => childrenOfService().reduce((sum, pid) => sum + cpuOf(pid), 0);

interface ReadResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  errors: number;
  non2xx: number;
}

/**
 * autocannon in a process of its own (readersChild.mjs, JSON out): its CPU then competes for the cores, not for
 * this loop. `started` once its connections are up: at nice 19 on a busy machine its start took seconds, and the writers,
 * started with it, collected meanwhile without the readers.
 */
function readersInChild(url: string): { started: Promise<void>; done: Promise<ReadResult> } {
  const child = fileURLToPath(new URL('./readersChild.mjs', import.meta.url));
  const args = [child, url, String(CONNECTIONS), String(SECONDS)];
  // started under nice(1), so every thread of it has the value (setpriority on a pid reaches one thread only)
  const p = spawn('nice', ['-n', String(READERS_NICE), process.execPath, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const started = new Promise<void>((resolve) => {
    p.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.includes('started')) resolve();
    });
    p.once('exit', () => resolve());
  });
  const done = new Promise<ReadResult>((resolve, reject) => {
    let out = '';
    p.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    p.once('error', reject);
    p.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`autocannon: ${code}`)),
    );
  });
  return { started, done };
}

/** The service's own view (its /metrics): the collection route's latency histogram and its event-loop delay. */
async function serviceMetrics(url: string) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? Number.NaN);
  const buckets = [...text.matchAll(/^http_request_duration_seconds_bucket\{([^}]*)\} (\d+)/gm)]
    .filter(
      (m) => m[1]!.includes('method="POST"') && m[1]!.includes('route="/api/sites/:site_id/collections"'),
    )
    .map((m) => ({
      le: Number(/le="([^"]+)"/.exec(m[1]!)?.[1]?.replace('+Inf', 'Infinity')),
      count: Number(m[2]),
    }));
  return {
    buckets,
    loopP99: num(/^nodejs_eventloop_lag_p99_seconds (\S+)/m) * 1000,
    loopMax: num(/^nodejs_eventloop_lag_max_seconds (\S+)/m) * 1000,
    gc:
      [...text.matchAll(/^nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)/gm)].reduce(
        (t, m) => t + Number(m[1]),
        0,
      ) * 1000,
  };
}

/** The bucket bound (ms) under which p of the collections the service timed (koa's view, after the session) ended. */
function serviceP(before: Awaited<ReturnType<typeof serviceMetrics>>, after: typeof before, p: number) {
  const delta = after.buckets.map((b, i) => ({ le: b.le, count: b.count - (before.buckets[i]?.count ?? 0) }));
  const total = delta[delta.length - 1]?.count ?? 0;
  const hit = delta.find((b) => b.count >= (p / 100) * total);
  return hit ? `<= ${hit.le === Number.POSITIVE_INFINITY ? 'inf' : hit.le * 1000}` : 'n/a';
}

async function signIn(url: string, site: string): Promise<string> {
  const email = `bench-${site}@bench.example`;
  const password = 'correct horse battery staple';
  await addStaff(
    { db, clock: { now: () => new Date() } },
    { kind: 'system', name: 'bench' },
    {
      email,
      role: 'site_staff',
      site_id: site,
      password,
    },
  );
  const res = await fetch(`${url}/api/staff/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return ((await res.json()) as { token: string }).token;
}

try {
  const t0 = performance.now();
  const { campaign, codes } = await drawnCampaign();
  const url = await startService();
  const sites = [...codes.keys()].sort();
  const tokens = new Map(await Promise.all(sites.map(async (s) => [s, await signIn(url, s)] as const)));
  const readsUrl = READS_PROCESS ? `http://127.0.0.1:${STOCK_PORT}` : url;
  const stockUrl = `${readsUrl}/api/campaigns/${campaign.id}/stock`;
  const readCollected = async () =>
    (JSON.parse((await send(stockUrl, 'GET', {})).text) as { totals: { collected: number } }).totals
      .collected;
  const before = await readCollected();
  console.log(
    `setup (not timed): ${[...codes.values()].reduce((n, l) => n + l.length, 0)} winners at ${sites.length} sites in ${((performance.now() - t0) / 1000).toFixed(1)} s; service at ${url}`,
  );

  // What the service spends with no request at all (its reconciler's passes, once a second), for scale.
  const idleFrom = serviceCpu();
  await new Promise((r) => setTimeout(r, 3000));
  const idleCpuMsPerS = ((serviceCpu() - idleFrom) * 1000) / 3;
  const load = os.loadavg()[0]!;
  const readersCpuBefore = endedChildrenCpu(); // autocannon's, once its process has ended
  const waits = await sampleWaits(bench.url, 25);
  const noReads = { requests: { average: 0, total: 0 }, latency: { p99: Number.NaN }, errors: 0, non2xx: 0 };
  const readers =
    CONNECTIONS === 0
      ? { started: Promise.resolve(), done: Promise.resolve(noReads) }
      : READERS_IN === 'child'
        ? readersInChild(stockUrl)
        : {
            started: Promise.resolve(),
            done: autocannon({ url: stockUrl, connections: CONNECTIONS, duration: SECONDS }),
          };
  // the writers' seconds are the readers' seconds, and what is counted below is counted from here
  await readers.started;
  const metricsBefore = await serviceMetrics(url); // also resets its event-loop histogram
  const benchLoop = monitorEventLoopDelay({ resolution: 5 });
  benchLoop.enable();
  const cpuBefore = serviceCpu();
  const readsCpuBefore = readsCpu();
  const pgCpuBefore = backendsCpuOf(bench.name, [waits.pid]);
  // WAL flushes: commits that shared one count once (the server's, so others' work too on a shared server)
  const walSyncs = async () => {
    // PostgreSQL 18 counts them in pg_stat_io (the embedded server), 14-17 in pg_stat_wal
    const v18 = Number((await db.raw('SHOW server_version_num')).rows[0].server_version_num) >= 180000;
    const sql = v18
      ? "SELECT sum(fsyncs) AS n FROM pg_stat_io WHERE object = 'wal'"
      : 'SELECT wal_sync AS n FROM pg_stat_wal';
    return Number((await db.raw(sql)).rows[0].n);
  };
  const walSyncsBefore = await walSyncs();
  const waitBefore = runQueueWaitOf(child!.pid);
  const benchCpuBefore = process.cpuUsage();
  const machineBefore = machineCpu();
  const windowFrom = performance.now(); // the prober's last 1.5 s and the readers' end make it longer than SECONDS
  const until = performance.now() + SECONDS * 1000;
  const latencies: number[] = [];
  const done: number[] = []; // when each 201 arrived, in order
  let errors = 0;
  const writer = async (w: number) => {
    for (let i = 0; performance.now() < until; i++) {
      const site = sites[(w + i * WRITERS) % sites.length]!;
      const code = codes.get(site)!.pop();
      if (!code) continue;
      const t = performance.now();
      const res = await send(
        `${url}/api/sites/${site}/collections`,
        'POST',
        { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(site)}` },
        JSON.stringify({ code }),
      );
      if (res.status === 201) {
        latencies.push(performance.now() - t);
        done.push(performance.now());
      } else errors++;
    }
  };
  // Staleness: each probe notes how many 201s had arrived when it started, and what it then saw.
  const probes: Array<{ at: number; seen: number }> = [];
  const prober = async () => {
    while (performance.now() < until + 1500) {
      const at = performance.now();
      probes.push({ at, seen: (await readCollected()) - before });
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const [reads] = await Promise.all([
    readers.done,
    ...Array.from({ length: WRITERS }, (_, w) => writer(w)),
    prober(),
  ]);
  const machine = machineCpu() - machineBefore;
  const window = (performance.now() - windowFrom) / 1000;
  const cpu = serviceCpu() - cpuBefore;
  const cpuOfReads = readsCpu() - readsCpuBefore;
  const pgCpu = backendsCpuOf(bench.name, [waits.pid]) - pgCpuBefore;
  const samplerPgCpu = cpuOf(waits.pid);
  const flushes = (await walSyncs()) - walSyncsBefore;
  const serviceWaited = runQueueWaitOf(child!.pid) - waitBefore;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const readersCpu = endedChildrenCpu() - readersCpuBefore;
  benchLoop.disable();
  const metricsAfter = await serviceMetrics(url);
  const waited = await waits.stop();
  // The k-th collection (1-based) is visible at the first probe started after it with seen >= k.
  const staleness: number[] = [];
  let p = 0;
  for (let k = 1; k <= done.length; k++) {
    while (p < probes.length && (probes[p]!.at < done[k - 1]! || probes[p]!.seen < k)) p++;
    if (p < probes.length) staleness.push(probes[p]!.at - done[k - 1]!);
  }
  latencies.sort((a, b) => a - b);
  staleness.sort((a, b) => a - b);
  await new Promise((r) => setTimeout(r, 1000)); // past the snapshot's age
  const final = (await readCollected()) - before;
  printTable([
    {
      'reads from': READS_PROCESS ? 'reads process' : 'service',
      // stated in the table because it changes who gets the cores: phones are not on the server
      'autocannon nice': CONNECTIONS === 0 ? '-' : READERS_IN === 'same' ? '(in bench)' : READERS_NICE,
      'reads/s': Math.round(reads.requests.average),
      'read p99 ms': reads.latency.p99,
      'read errors': reads.errors + reads.non2xx,
      collections: done.length,
      'collect p50 ms': percentile(latencies, 50).toFixed(1),
      'collect p99 ms': percentile(latencies, 99).toFixed(1),
      'collect errors': errors,
      'staleness p99 ms': percentile(staleness, 99).toFixed(0),
      'staleness max ms': (staleness[staleness.length - 1] ?? Number.NaN).toFixed(0),
      'stock = collected': final === done.length ? 'yes' : `no (${final} vs ${done.length})`,
    },
  ]);
  // On a shared machine the service gets what the others leave: its own CPU per request is the steadier figure.
  const requests = READS_PROCESS ? done.length : reads.requests.total + done.length + probes.length;
  if (READS_PROCESS) {
    const read = reads.requests.total + probes.length;
    console.log(
      `stock reads process CPU ${cpuOfReads.toFixed(1)} s for ${read} reads: ${((cpuOfReads * 1000) / read).toFixed(3)} ms each; ` +
        `the service's CPU below is for the collections alone`,
    );
  }
  console.log(
    `service CPU ${cpu.toFixed(1)} s for ${requests} requests: ${((cpu * 1000) / requests).toFixed(3)} ms each, ` +
      `so about ${Math.round(requests / cpu)} requests/s per core of service CPU; load average at the start ${load.toFixed(1)}; ` +
      `idle beforehand (no requests) the service used ${idleCpuMsPerS.toFixed(0)} ms of CPU a second`,
  );
  const perCollection = (s: number) => ((s * 1000) / Math.max(1, done.length)).toFixed(2);
  console.log(
    `per collection: PostgreSQL backends' CPU ${perCollection(pgCpu)} ms (${pgCpu.toFixed(1)} s, readers' snapshot reads included; ` +
      `not the wait sampler's ${samplerPgCpu.toFixed(1)} s, an instrument), ` +
      `${(flushes / Math.max(1, done.length)).toFixed(2)} WAL flushes (${flushes} in all, ${bench.server} server), ` +
      `the service's CPU ${perCollection(cpu)} ms; the service waited for a core ${serviceWaited.toFixed(1)} s of the ${SECONDS} s ` +
      `(runnable, not running); this bench process (writers, prober${READERS_IN === 'same' ? ', readers' : ''}) used ` +
      `${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)} s of CPU` +
      (READERS_IN === 'child' && CONNECTIONS > 0
        ? `, autocannon's process ${readersCpu.toFixed(1)} s at nice ${READERS_NICE}`
        : ''),
  );
  // what the rest of a shared machine took meanwhile: a run beside others' work says little about wall times
  const ours = cpu + cpuOfReads + pgCpu + samplerPgCpu + (benchCpu.user + benchCpu.system) / 1e6 + readersCpu;
  console.log(
    `the machine's CPU over the run's ${window.toFixed(1)} s: ${machine.toFixed(1)} s of ${(os.cpus().length * window).toFixed(1)}, ` +
      `${(machine - ours).toFixed(1)} s of it other processes' (load average ${load.toFixed(1)} at the start, ` +
      `${os.loadavg()[0]!.toFixed(1)} at the end)`,
  );
  console.log(
    `readers ${READERS_IN === 'child' ? 'in a child process' : 'in this process, beside the writers'}; ` +
      `service-side collection (koa's histogram) p50 ${serviceP(metricsBefore, metricsAfter, 50)} ms, p99 ${serviceP(metricsBefore, metricsAfter, 99)} ms; ` +
      `service event-loop delay p99 ${metricsAfter.loopP99.toFixed(0)} ms, max ${metricsAfter.loopMax.toFixed(0)} ms, ` +
      `GC ${(metricsAfter.gc - metricsBefore.gc).toFixed(0)} ms; ` +
      `this process's loop delay p99 ${(benchLoop.percentile(99) / 1e6).toFixed(0)} ms, max ${(benchLoop.max / 1e6).toFixed(0)} ms`,
  );
  console.log('database sessions by wait event and statement, on average over the run:');
  printTable(waited);
  console.log(
    `targets: >= 5,000 reads/s at ${CONNECTIONS} connections, collections p99 < 50 ms, staleness <= 1000 ms (${bench.server})`,
  );
} finally {
  await closeClients();
  child?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, values['cpu-prof'] ? 3000 : 500));
  await bench.close();
}
