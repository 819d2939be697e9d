// npm run simulate:floor -- [--residents N] [--stock S] [--runs R]
// The instant sale's floor on this machine: the simulator's crowd (the same arrivals, speed classes, clients and
// residents' steps as `npm run simulate -- --mode instant`) against a stand-in service that does no work: no
// database, no tokens, no koa, each answer a constant. How soon it sells out is what this machine allows the rush
// before the service does anything, so a sell-out target can be held against what is left for the real work.
import { fork } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { clientFor, closeClients, Recorder, type Speed, speedOf } from './client.js';
import { sellOutFigures } from './report.js';
import { instantArrival, instantResident } from './residents.js';

const json = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

/** [when, this process's CPU seconds so far] */
type CpuReadings = Array<[number, number]>;

/** This process's CPU seconds every 50 ms until stopped, so a window can be read off afterwards. */
function cpuSampler() {
  const readings: CpuReadings = [];
  const tick = setInterval(() => {
    const u = process.cpuUsage();
    readings.push([Date.now(), (u.user + u.system) / 1e6]);
  }, 50);
  return {
    stop(): CpuReadings {
      clearInterval(tick);
      return readings;
    },
  };
}

/** The stand-in: joins and looks held until the opening, a turn while stock lasts, buys that only count down. */
function standIn(opensAt: number, stock: number) {
  let left = stock;
  const held: ServerResponse[] = [];
  const place = () => (left > 0 ? { state: 'your_turn', admission_token: 't' } : { state: 'sold_out' });
  setTimeout(() => {
    for (const res of held.splice(0)) json(res, 200, { queue: place() });
  }, opensAt - Date.now());
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const url = req.url ?? '';
      if (url.endsWith('/queue')) {
        if (Date.now() < opensAt) held.push(res);
        else json(res, 200, { queue: place() });
      } else if (url.endsWith('/purchases')) {
        if (left > 0) {
          left--;
          json(res, 201, { purchase: { order: { checkout_url: 'http://127.0.0.1/checkout/x' } } });
        } else json(res, 409, { error: { code: 'sold_out' } });
      } else if (url.startsWith('/checkout/')) {
        res.writeHead(303, { location: 'http://127.0.0.1/return' }).end();
      } else res.writeHead(303, { location: 'http://127.0.0.1/done?pay=paid' }).end();
    });
  });
  server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  // the parent reads off the window from opening to sell-out
  const cpu = cpuSampler();
  process.on('message', () => process.send?.({ cpu: cpu.stop() }));
}

/** One crowd against a fresh stand-in in a child process; the sell-out as the simulator times it, and CPU. */
async function run(n: number, stock: number) {
  const opensAt = Date.now() + 20_000;
  const child = fork(new URL(import.meta.url).pathname, ['--stand-in', String(opensAt), String(stock)], {
    execArgv: ['--import', 'tsx'],
  });
  const reply = <T>() => new Promise<T>((r) => child.once('message', (m) => r(m as T)));
  const { port } = await reply<{ port: number }>();
  const rec = new Recorder();
  // arrivals are random, so speed class by index is unrelated to arrival
  const speeds: Speed[] = Array.from({ length: n }, (_, i) => speedOf(i, n));
  const crowd = cpuSampler();
  const outcomes = await Promise.all(
    speeds.map((speed, i) =>
      instantResident(
        clientFor(`http://127.0.0.1:${port}`, 't', speed, rec, i),
        { id: '1' },
        instantArrival(opensAt),
        opensAt + 60_000,
        () => rec.now(),
      ),
    ),
  );
  const accepted = outcomes
    .map((o) => o.acceptedAt)
    .filter((x): x is number => x !== undefined)
    .sort((a, b) => a - b);
  const figures = sellOutFigures(accepted, stock, opensAt - rec.started);
  const crowdCpu = crowd.stop();
  child.send('cpu');
  const { cpu } = await reply<{ cpu: CpuReadings }>();
  child.kill();
  await closeClients();
  const end = opensAt + (figures.time_to_sell_out_ms ?? 0);
  return { ...figures, standInCpuS: within(cpu, opensAt, end), crowdCpuS: within(crowdCpu, opensAt, end) };
}

/** CPU seconds spent between two moments, from readings taken every 50 ms. */
function within(readings: CpuReadings, from: number, to: number): number {
  const at = (t: number) => readings.find(([when]) => when >= t)?.[1] ?? readings.at(-1)![1];
  return at(to) - at(from);
}

if (process.argv[2] === '--stand-in') {
  standIn(Number(process.argv[3]), Number(process.argv[4]));
} else {
  const { values } = parseArgs({
    options: {
      residents: { type: 'string', default: '10000' },
      stock: { type: 'string', default: '4000' },
      runs: { type: 'string', default: '3' },
    },
  });
  const [n, stock, runs] = [Number(values.residents), Number(values.stock), Number(values.runs)];
  if (!(n > 0 && n <= 100_000 && stock > 0 && runs > 0 && runs <= 10)) {
    console.error(
      'usage: npm run simulate:floor -- [--residents N (1..100000)] [--stock S] [--runs R (1..10)]',
    );
    process.exit(2);
  }
  console.log(
    `| run | first order | sold out | orders/s from opening | stand-in CPU to sell-out (s) | crowd CPU to sell-out (s) |`,
  );
  console.log('|---|---|---|---|---|---|');
  for (let r = 1; r <= runs; r++) {
    const f = await run(n, stock);
    const s = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(2)} s`);
    console.log(
      `| ${r} | ${s(f.opening_to_first_success_ms)} | ${s(f.time_to_sell_out_ms)} | ${f.sell_out_orders_per_s?.toFixed(0) ?? '–'} | ${f.standInCpuS.toFixed(2)} | ${f.crowdCpuS.toFixed(2)} |`,
    );
  }
}
