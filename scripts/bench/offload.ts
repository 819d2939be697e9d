// npm run bench -- offload [--applications 200000] [--sites 4600]
// Shows the draw's heavy work off the web process: one real service process (src/main.ts, which forks its
// draw worker) closes a lottery of 200,000 applications (the roster freeze job), fetches its beacon from a
// local stand-in and draws it (the draw job), while campaigns scheduled to open during that work open on
// time and a poller times GET /healthz every 50 ms. Targets: every opening within 1 s, /healthz under 100 ms.
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { systemClock } from '../../src/clock.js';
import { changeCampaignState } from '../../src/commands/changeCampaignState.js';
import { createCampaign } from '../../src/commands/saveCampaign.js';
import { benchVoucherCampaign } from './campaigns.js';
import { seedDrawCampaign } from './drawSetup.js';
import { benchDatabase, percentile, printTable } from './env.js';

const { values } = parseArgs({
  options: {
    applications: { type: 'string', default: '200000' },
    sites: { type: 'string', default: '4600' },
  },
});
const N = Number(values.applications);
const SITES = Number(values.sites);
const OPENINGS = 12; // one every 1.5 s over the heavy work

const bench = await benchDatabase('offload');
const beaconStandIn = http.createServer((_req, res) => res.end('drand round 1: offload bench'));
await new Promise<void>((r) => beaconStandIn.listen(0, '127.0.0.1', r));
const beaconUrl = `http://127.0.0.1:${(beaconStandIn.address() as AddressInfo).port}/`;
let child: ChildProcess | undefined;

function startService(): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: bench.url,
        HOST: '127.0.0.1',
        PORT: '0',
        DEMO_DATA: 'false',
        RUN_WORKER: 'true',
        BEACON_URL: beaconUrl,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = c;
    const timer = setTimeout(() => reject(new Error('the service did not start')), 60_000);
    let buffered = '';
    c.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(buffered);
      if (m && /"listening"/.test(buffered)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
      if (buffered.length > 1e6) buffered = buffered.slice(-1e5);
    });
    c.on('exit', (code) => reject(new Error(`the service exited with ${code}`)));
  });
}

try {
  const t0 = Date.now();
  const lottery = await seedDrawCampaign(bench.db, {
    applications: N,
    sites: SITES,
    code: 'OFFLOAD',
    opensAt: new Date(t0 - 3600_000),
    closesAt: new Date(t0 + 3600_000), // moved to a few seconds ahead once the service runs
    drawAt: new Date(t0 + 3600_000),
  });
  console.log(`setup (not timed): ${N} applications, ${SITES} sites x 3 slots in ${Date.now() - t0} ms`);
  const url = await startService();
  // the opening's commitment, as if the lottery had opened through the service
  await bench.db('campaigns').where({ id: lottery.id }).update({ state: 'scheduled' });
  await bench.db('campaigns').where({ id: lottery.id }).update({ opens_at: new Date() });
  for (let i = 0; i < 100; i++) {
    const c = await bench.db('campaigns').where({ id: lottery.id }).first('state');
    if (c.state === 'open') break;
    await new Promise((r) => setTimeout(r, 100));
  }

  const start = Date.now();
  const closeAt = new Date(start + 3000);
  await bench.db('campaigns').where({ id: lottery.id }).update({ closes_at: closeAt, draw_at: closeAt });
  const ctx = { db: bench.db, clock: systemClock };
  const openings: Array<{ id: string; at: number }> = [];
  for (let i = 0; i < OPENINGS; i++) {
    const at = start + 3500 + i * 1500 + 7;
    const input = benchVoucherCampaign({
      code: `OFFOPEN${i}`,
      title: `Opening ${i}`,
      opensAt: new Date(at),
      closesAt: new Date(at + 3600_000),
      drawAt: new Date(at + 7200_000),
      claimOpensAt: new Date(at + 10_800_000),
      claimClosesAt: new Date(at + 86_400_000),
      total: 1_000_000,
      perPersonMax: 50_000,
    });
    const c = await createCampaign(ctx, { kind: 'system', name: 'bench' }, input);
    await changeCampaignState(ctx, { kind: 'system', name: 'bench' }, c.id, 'schedule');
    openings.push({ id: c.id, at });
  }

  // /healthz every 50 ms, and the campaigns' states every 20 ms, until the lottery is drawn and all opened
  const health: number[] = [];
  const opened = new Map<string, number>();
  let frozenAt = 0;
  let drawnAt = 0;
  let polling = true;
  const healthPoller = (async () => {
    while (polling) {
      const t = performance.now();
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const deadline = start + 120_000;
  while (Date.now() < deadline) {
    const rows = await bench
      .db('campaigns')
      .select('id', 'state')
      .whereIn('id', [lottery.id, ...openings.map((o) => o.id)]);
    const now = Date.now();
    // The lottery itself is open until it closes: only the campaigns scheduled to open count.
    for (const r of rows)
      if (r.id !== lottery.id && r.state === 'open' && !opened.has(r.id)) opened.set(r.id, now);
    const d = await bench.db('draws').where({ campaign_id: lottery.id }).first('roster_root');
    if (d?.roster_root && !frozenAt) frozenAt = now;
    if (rows.find((r) => r.id === lottery.id)?.state === 'drawn' && !drawnAt) drawnAt = now;
    if (drawnAt && opened.size === openings.length) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  polling = false;
  await healthPoller;

  const lags = openings.map((o) => (opened.get(o.id) ?? Number.NaN) - o.at);
  const during = openings.filter((o) => o.at >= closeAt.getTime() && o.at <= (drawnAt || deadline)).length;
  const sortedHealth = health.slice().sort((a, b) => a - b);
  console.log(
    `\nlottery of ${N}: closed at +3.0 s, roster frozen at +${((frozenAt - start) / 1000).toFixed(1)} s, drawn at +${((drawnAt - start) / 1000).toFixed(1)} s (by the draw worker process)`,
  );
  printTable([
    {
      measure: `openings (${during} of ${OPENINGS} due while freezing or drawing)`,
      'p50 ms': percentile(
        lags.slice().sort((a, b) => a - b),
        50,
      ),
      'max ms': Math.max(...lags),
      target: 'max < 1000',
    },
    {
      measure: `GET /healthz (${health.length} requests)`,
      'p50 ms': sortedHealth[Math.floor(sortedHealth.length / 2)]!.toFixed(1),
      'max ms': sortedHealth.at(-1)!.toFixed(1),
      target: 'max < 100',
    },
  ]);
} finally {
  child?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  beaconStandIn.close();
  await bench.close();
}
