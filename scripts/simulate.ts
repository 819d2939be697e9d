// npm run simulate -- --mode instant|lottery --residents N --stock S [--out DIR] [--failure-rate F]
//   [--overbook-percent P] (instant: let in up to P % more than the stock left can serve; 0 by default)
//   [--web-processes W] (W service processes on one database, residents spread over them; 1 by default)
// Runs one city through one mode against the real service on 127.0.0.1 (embedded PostgreSQL unless
// DATABASE_URL is set), prints progress and a summary, writes report.json and report.html, and exits 1 when an
// invariant is broken.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/clock.js';
import { recordBeacon } from '../src/commands/recordBeacon.js';
import { findDraw } from '../src/db/repos/draws.js';
import { simulatedBeacon } from './simulate/beacon.js';
import { purchaseCeiling } from './simulate/ceiling.js';
import { clientFor, closeClients, Recorder, SPEEDS, type Speed, speedOf } from './simulate/client.js';
import { cpuReadings } from './simulate/cpu.js';
import { listenOverflows, profileWindow, statementReadings, writeSamples } from './simulate/diagnostics.js';
import { instantLedger, type Ledger, lotteryLedger, noticesOf, settle } from './simulate/ledger.js';
import {
  againstTarget,
  asResidentsSaw,
  latencyFigures,
  noticesLine,
  ofCeiling,
  ordersTaken,
  preQueueText,
  type Report,
  sellOutFigures,
  TARGET_ORDERS_PER_S,
  writeReport,
} from './simulate/report.js';
import { instantArrival, instantResident, lotteryResident, type Outcome } from './simulate/residents.js';
import { createSale, residentsOf, setRushRules, startCity, untilRoom } from './simulate/service.js';
import { chiSquareIndependence } from './simulate/stats.js';

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
const fmtS = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(2)} s`);

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'instant' },
    residents: { type: 'string', default: '2000' },
    stock: { type: 'string', default: '800' },
    out: { type: 'string', default: '.' },
    'failure-rate': { type: 'string', default: '0.03' },
    'window-seconds': { type: 'string', default: '30' },
    'overbook-percent': { type: 'string', default: '0' },
    'web-processes': { type: 'string', default: '1' },
  },
});
const mode = values.mode as 'instant' | 'lottery';
const N = Number(values.residents);
const STOCK = Number(values.stock);
const OVERBOOK = Number(values['overbook-percent']);
const WEB_PROCESSES = Number(values['web-processes']);
if (
  !['instant', 'lottery'].includes(mode) ||
  !(N > 0) ||
  !(STOCK > 0) ||
  N > 100_000 ||
  !Number.isInteger(OVERBOOK) ||
  OVERBOOK < 0 ||
  OVERBOOK > 1000 ||
  !Number.isInteger(WEB_PROCESSES) ||
  WEB_PROCESSES < 1 ||
  WEB_PROCESSES > 16
) {
  console.error(
    'usage: npm run simulate -- --mode instant|lottery --residents N (1..100000) --stock S [--overbook-percent P (0..1000)] [--web-processes W (1..16)]',
  );
  process.exit(2);
}

const rec = new Recorder();
const city = await startCity(
  { failureRate: Number(values['failure-rate']), latencyMs: 20 },
  values.out!,
  WEB_PROCESSES,
);
process.stderr.write(`service at ${city.urls.join(', ')}; ${N} residents, ${STOCK} in stock, mode ${mode}\n`);
const people = await residentsOf(city, N);
// Speed classes by a shuffled index, so class and arrival are unrelated.
const order = people.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(Math.random() * (i + 1)); // Fisher-Yates: every assignment equally likely
  [order[i], order[j]] = [order[j]!, order[i]!];
}
const speeds: Speed[] = people.map((_, i) => speedOf(order[i]!, N));

const window =
  mode === 'instant'
    ? { opensInMs: 20_000, openForMs: 600_000 }
    : { opensInMs: 5_000, openForMs: Number(values['window-seconds']) * 1000 };
const sale = await createSale(city, mode, STOCK, window);
let done = 0;
const outcomes: Outcome[] = [];
const cpu = cpuReadings(city.pids, city.bench.db, () => rec.now());
const statements = statementReadings(city.bench.db, sale.opensAt);
const progress = setInterval(() => {
  const w = 30;
  const k = Math.round((done / N) * w);
  // From the end back (answers are recorded in the order they come): filtering every sample twice a second, with
  // a clock read each, was a tenth of the simulator's CPU in its profile, taken from the cores the rush shares.
  const since = rec.now() - 1000;
  let last = 0;
  for (let i = rec.samples.length - 1; i >= 0 && rec.samples[i]!.at > since; i--) last++;
  process.stderr.write(
    `\r[${'#'.repeat(k)}${'.'.repeat(w - k)}] ${done}/${N} residents done, ${last} req/s   `,
  );
}, 500);

if (mode === 'instant') {
  await untilRoom(city.bench.db, sale.id);
  await setRushRules(city.bench.db, sale.id, OVERBOOK);
}
const deadline = (mode === 'instant' ? sale.opensAt : sale.closesAt) + 150_000;
const beacon =
  mode === 'lottery'
    ? (async () => {
        await new Promise((r) => setTimeout(r, sale.closesAt + 1000 - Date.now()));
        // The reconciler closes the window on its next pass; the beacon is refused until then.
        for (let tries = 0; tries < 60; tries++) {
          try {
            const ctx = { db: city.bench.db, clock: systemClock };
            const source = (await findDraw(city.bench.db, sale.id))?.beacon_source ?? '';
            await recordBeacon(
              ctx,
              { kind: 'system', name: 'simulator' },
              sale.id,
              simulatedBeacon(source, sale.code),
            );
            return;
          } catch (err) {
            // before the close the beacon is refused, and busy while the close freezes the roster under the
            // draw's row; either way it is recorded again a second later
            const code = (err as { code?: string }).code;
            if (code !== 'beacon_too_early' && code !== 'busy') throw err;
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      })()
    : Promise.resolve();
const overflowsBefore = listenOverflows();
await Promise.all(
  people.map(async (p, i) => {
    const call = clientFor(city.urls[i % city.urls.length]!, p.token, speeds[i]!, rec, i);
    const arrive =
      mode === 'instant'
        ? instantArrival(sale.opensAt)
        : sale.opensAt + 500 + Math.random() * (sale.closesAt - sale.opensAt - 1500);
    outcomes[i] =
      mode === 'instant'
        ? await instantResident(call, sale, arrive, deadline, () => rec.now())
        : await lotteryResident(call, sale, arrive, deadline);
    done++;
  }),
);
await beacon;
clearInterval(progress);
const overflowsAfter = listenOverflows();
cpu.stop();
process.stderr.write('\nsettling payments and holds...\n');
await settle(city.bench.db, sale.id, 60_000);
const ledger: Ledger =
  mode === 'instant'
    ? await instantLedger(city.bench.db, sale.id)
    : await lotteryLedger(city.bench.db, sale.id, STOCK);
const notices = await noticesOf(city.bench.db, sale.id);
const identityIndex = new Map(people.map((p, i) => [p.id, i]));
const bySpeed = Object.fromEntries(
  Object.keys(SPEEDS).map((k) => [k, { residents: 0, served: 0 }]),
) as Report['success_by_speed'];
for (const s of speeds) bySpeed[s].residents++;
for (const id of ledger.served) bySpeed[speeds[identityIndex.get(id)!]!].served++;
const chi = chiSquareIndependence(
  Object.values(bySpeed).map((v) => ({ served: v.served, total: v.residents })),
);
const ascending = (xs: Array<number | undefined>) =>
  xs.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
const accepted = ascending(outcomes.map((o) => o.acceptedAt));
// the same acceptances as the residents had them: the slow ones' added latency on the way back after the answer
const seen = ascending(outcomes.map((o) => o.seenAt));
const opensAtRel = sale.opensAt - rec.started;
const lat = latencyFigures(rec.samples);
const sellOut =
  mode === 'instant'
    ? sellOutFigures(accepted, STOCK, opensAtRel)
    : {
        opening_to_first_success_ms: accepted.length ? Math.round(accepted[0]! - opensAtRel) : null,
        time_to_sell_out_ms: null,
        sell_out_orders_per_s: null,
        taking_orders_per_s: null,
      };
const serviceCpu = cpu.readings.at(-1)!.service;
const sellOutCpu = (() => {
  if (sellOut.time_to_sell_out_ms === null) return null;
  const from = cpu.at(opensAtRel);
  const to = cpu.at(opensAtRel + sellOut.time_to_sell_out_ms);
  const service = from.service !== null && to.service !== null ? to.service - from.service : null;
  const postgres = from.postgres !== null && to.postgres !== null ? to.postgres - from.postgres : null;
  const perOrder = (s: number | null) => (s === null ? null : (s * 1000) / STOCK);
  // the requests the window's CPU went on, by kind: what a resident's path asks of the service in a sell-out
  const requests: Record<string, number> = {};
  for (const x of rec.samples)
    if (x.at >= opensAtRel && x.at <= opensAtRel + sellOut.time_to_sell_out_ms)
      requests[x.what] = (requests[x.what] ?? 0) + 1;
  return {
    requests,
    simulator_s: to.simulator - from.simulator,
    service_s: service,
    service_ms_per_order: perOrder(service),
    postgres_s: postgres,
    postgres_ms_per_order: perOrder(postgres),
    load_average: to.load,
  };
})();
const simulatorCpuS = cpuSeconds(process.cpuUsage());
const durationS = Math.round(rec.now() / 1000);
const soldOutAt = sellOut.time_to_sell_out_ms === null ? null : sale.opensAt + sellOut.time_to_sell_out_ms;
const statementsFile = await statements?.stop(soldOutAt, values.out!);
// After the sale, its payments and the readings above, so it takes nothing from them: same database, service and
// machine. A ceiling that fails to run is said and left out; the sale's report stands without it.
const ceiling =
  mode === 'instant'
    ? await purchaseCeiling(city, people, STOCK).catch((err: Error) => {
        console.error(`the purchase ceiling was not measured: ${err.message}`);
        return null;
      })
    : null;
const spanS = accepted.length > 1 ? (accepted.at(-1)! - accepted[0]!) / 1000 : 0;
const report: Report = {
  mode,
  residents: N,
  stock: STOCK,
  sold: ledger.sold,
  remaining: ledger.remaining,
  orders: ledger.orders,
  paid: ledger.paid,
  issued: ledger.issued,
  refunded: ledger.refunded,
  over_limit: ledger.over_limit,
  http_5xx: lat.http_5xx,
  http_errors: lat.http_errors,
  orders_per_s: spanS > 0 ? accepted.length / spanS : accepted.length,
  p50_ms: lat.p50_ms,
  p99_ms: lat.p99_ms,
  ...sellOut,
  as_residents_saw: mode === 'instant' ? sellOutFigures(seen, STOCK, opensAtRel) : null,
  target_orders_per_s: TARGET_ORDERS_PER_S,
  purchase_ceiling_orders_per_s: ceiling?.orders_per_s ?? null,
  overbook_percent: mode === 'instant' ? OVERBOOK : null,
  pre_queue_places: mode === 'instant' ? (ledger.pre_queue ?? null) : null,
  web_processes: WEB_PROCESSES,
  notices,
  cpu_s: { simulator: simulatorCpuS, service: serviceCpu },
  sell_out_cpu: sellOutCpu,
  listen_overflows:
    overflowsBefore === null || overflowsAfter === null ? null : overflowsAfter - overflowsBefore,
  share_served: ledger.served.size / N,
  success_by_speed: bySpeed,
  speed_independence_p: chi.p,
  chi_square: chi.statistic,
  requests: rec.samples.length,
  duration_s: durationS,
  invariants: [
    {
      name: 'sold + remaining = initial',
      ok: ledger.sold + ledger.remaining === ledger.initial,
      detail: `${ledger.sold} + ${ledger.remaining} = ${ledger.initial}`,
    },
    {
      name: 'orders = sold',
      ok: mode === 'lottery' || ledger.orders === ledger.sold,
      // A lottery's orders include declined tries; its paid orders are what it sold, one an award (next line).
      detail:
        mode === 'lottery'
          ? `${ledger.orders} orders with declined tries, ${ledger.sold} units paid for`
          : `${ledger.orders} orders, ${ledger.sold} sold`,
    },
    {
      name: 'nobody over the per-person limit',
      ok: ledger.over_limit === 0,
      detail: `${ledger.over_limit} over`,
    },
    {
      name: 'every paid order issued or refunded',
      ok: ledger.paid_unsettled === 0,
      detail: `${ledger.paid_unsettled} paid and not yet issued`,
    },
    {
      name: 'no 5xx',
      ok: lat.http_5xx === 0,
      detail: `${lat.http_5xx} answers 5xx, ${lat.http_errors} failed connections`,
    },
  ],
  series: lat.series,
  latency_by_request: lat.latency_by_request,
};
const files = writeReport(values.out!, report);
const samplesFile = writeSamples(values.out!, { opens_at: opensAtRel, speeds, samples: rec.samples });
await closeClients();
const serviceExited = await city.stop();
if (statementsFile) console.log(`statements from opening to sell-out: ${statementsFile}`);
if (samplesFile) console.log(`every request (SIM_SAMPLES): ${samplesFile}`);
if (process.env.SIM_PROFILE_DIR)
  console.log(`service profile's sell-out window: ${profileWindow(sale.opensAt, soldOutAt, serviceExited)}`);

const ends: Record<string, number> = {};
for (const o of outcomes) ends[o.end] = (ends[o.end] ?? 0) + 1;
console.log(
  `\n${mode}: ${N} residents, ${STOCK} in stock, ${report.duration_s} s, ${report.requests} requests`,
);
console.log(
  `sold ${report.sold}, remaining ${report.remaining}, orders ${report.orders}, paid ${report.paid}, issued ${report.issued}, refunded ${report.refunded}`,
);
console.log(
  `orders/s ${report.orders_per_s.toFixed(0)}, p50 ${report.p50_ms} ms, p99 ${report.p99_ms} ms, 5xx ${report.http_5xx}`,
);
console.log(
  `served by speed: ${Object.entries(bySpeed)
    .map(([k, v]) => `${k} ${v.served}/${v.residents}`)
    .join(', ')}; chi-square p = ${chi.p.toPrecision(3)}`,
);
if (mode === 'instant')
  console.log(
    `by the service's answers: first order ${fmtS(report.opening_to_first_success_ms)} after opening, sold out ${fmtS(report.time_to_sell_out_ms)} after opening; ` +
      `sell-out rate (stock / time to sell out) ${againstTarget(report.sell_out_orders_per_s)}; ` +
      `orders taken once the first was (stock / (sell-out − first order)) ${ordersTaken(report.taking_orders_per_s)}; ` +
      `as the residents had the answers: ${asResidentsSaw(report.as_residents_saw)}; ` +
      `the database's purchase ceiling in this run ${ofCeiling(report.sell_out_orders_per_s, report.purchase_ceiling_orders_per_s)}; ` +
      `pre-queue at the shuffle: ${preQueueText(report.pre_queue_places, STOCK)}`,
  );
if (ceiling)
  console.log(
    `the ceiling's rounds, ${ceiling.orders} purchases each: ${ceiling.rounds.map((r) => Math.round(r).toLocaleString('en')).join(', ')} orders/s (the median is the ceiling)`,
  );
if (sellOutCpu)
  console.log(
    `CPU from opening to sell-out: service ${sellOutCpu.service_s?.toFixed(1) ?? '?'} s (${sellOutCpu.service_ms_per_order?.toFixed(2) ?? '?'} ms an order), ` +
      `PostgreSQL ${sellOutCpu.postgres_s?.toFixed(1) ?? '?'} s (${sellOutCpu.postgres_ms_per_order?.toFixed(2) ?? '?'} ms an order), simulated clients ${sellOutCpu.simulator_s.toFixed(1)} s; load average ${sellOutCpu.load_average.toFixed(1)}; ` +
      `requests answered meanwhile ${JSON.stringify(sellOutCpu.requests)}`,
  );
console.log(
  `CPU: simulated clients ${report.cpu_s.simulator.toFixed(1)} s, service ${report.cpu_s.service?.toFixed(1) ?? '?'} s (load average at the end ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
);
if (report.listen_overflows !== null)
  console.log(
    `connections dropped for a full accept queue while the crowd ran (the machine's count): ${report.listen_overflows}`,
  );
console.log(`how residents ended: ${JSON.stringify(ends)}`);
console.log(`notices at the end, by kind and status: ${noticesLine(report.notices)}`);
for (const i of report.invariants) console.log(`${i.ok ? 'ok  ' : 'FAIL'} ${i.name}: ${i.detail}`);
console.log(`wrote ${files.json} and ${files.html}; the service's warnings and errors are in ${city.log}`);
process.exit(report.invariants.every((i) => i.ok) ? 0 : 1);
