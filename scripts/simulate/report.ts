// report.json and a self-contained report.html (Chart.js inlined, no network) from a simulation's samples, and
// the sell-out figures against the target.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { percentile } from '../bench/env.js';
import type { Sample, Speed } from './client.js';

export interface Report {
  mode: 'instant' | 'lottery';
  residents: number;
  stock: number;
  sold: number;
  remaining: number;
  orders: number;
  paid: number;
  issued: number;
  refunded: number;
  over_limit: number;
  http_5xx: number;
  http_errors: number;
  orders_per_s: number;
  p50_ms: number;
  p99_ms: number;
  /** instant: from the service's answers (when each left it on loopback, before a slow resident's network) */
  opening_to_first_success_ms: number | null;
  time_to_sell_out_ms: number | null;
  /**
   * instant: stock / (sell-out − opening), the rate the target is about: the sale opened, and sold out that fast;
   * null when it did not sell out
   */
  sell_out_orders_per_s: number | null;
  /**
   * instant: stock / (sell-out − first order), how fast orders were taken once they were: a first order that comes
   * late makes it higher, so it is not the target's figure
   */
  taking_orders_per_s: number | null;
  /**
   * instant: the same figures from when the residents had the answers (the medium and slow ones' added latency on
   * the way back included); null in a lottery
   */
  as_residents_saw: ReturnType<typeof sellOutFigures> | null;
  /** DESIGN.md section 9: sold out at >= 2,000 orders/s */
  target_orders_per_s: number;
  /**
   * instant: the database's purchase ceiling in the same run (simulate/ceiling.ts: the stock's purchases sent
   * straight to instant_buy_many as the service batches them, no HTTP); null in a lottery
   */
  purchase_ceiling_orders_per_s: number | null;
  /** instant: the room's overbooking (let in up to this % more than the stock left can serve); null in a lottery */
  overbook_percent: number | null;
  /**
   * instant: places in the pre-queue at the shuffle (one unit each here); fewer than the stock, and the rest goes to
   * later arrivals, each ranked by a pass after its join: the sell-out's end then waits on them. Null in a lottery.
   */
  pre_queue_places: number | null;
  /**
   * the sale's notices when the run ended, by kind and status: what the mode sends people (and the city pays for);
   * at the default 10 SMS a second many are still queued, and an instant sale's turns left unsent at the sell-out
   * are cancelled
   */
  notices: Record<string, Record<string, number>>;
  /** the service's web processes (--web-processes): the first runs the reconciler and workers, the others only HTTP */
  web_processes: number;
  /** CPU seconds over the run: the simulated clients' process, and the service's (null where /proc is not) */
  cpu_s: { simulator: number; service: number | null };
  /**
   * instant: CPU seconds from the opening to the sell-out (what the sale itself cost, not start-up or the payments
   * after), the service's per unit sold in that window in ms, and the load average at the sell-out (others share
   * the machine); null when it did not sell out
   */
  sell_out_cpu: {
    /** requests answered from opening to sell-out, by kind (join, poll, buy, checkout, return) */
    requests: Record<string, number>;
    simulator_s: number;
    service_s: number | null;
    service_ms_per_order: number | null;
    postgres_s: number | null;
    postgres_ms_per_order: number | null;
    load_average: number;
  } | null;
  /** connections the kernel dropped for a full accept queue while the crowd ran (machine-wide); null without /proc */
  listen_overflows: number | null;
  share_served: number;
  success_by_speed: Record<Speed, { residents: number; served: number }>;
  speed_independence_p: number;
  chi_square: number;
  requests: number;
  duration_s: number;
  invariants: Array<{ name: string; ok: boolean; detail: string }>;
  series: { second: number[]; requests: number[]; errors: number[]; p99_ms: number[] };
  latency_by_request: Record<string, { count: number; p50_ms: number; p99_ms: number }>;
}

export const TARGET_ORDERS_PER_S = 2000;

/**
 * The sell-out in plain figures from the acceptances (ms since start, ascending): first order and sell-out after
 * opening; the sell-out rate, stock / (sell-out − opening), and the rate once orders were taken, stock /
 * (sell-out − first order). Until 2026-12-05 the second was the one held against the target: a run whose first
 * order came 4.08 s after opening and sold out 1.38 s later "met" it (2,909/s), while a run that sold out sooner,
 * 4.54 s after opening, its first order at 1.16 s, had 1,183/s.
 * Acceptances after the stock-th are later buys of stock that failed payments gave back: not the sell-out.
 */
export function sellOutFigures(accepted: readonly number[], stock: number, opensAt: number) {
  const first = accepted.length ? accepted[0]! - opensAt : null;
  const soldOut = accepted.length >= stock ? accepted[stock - 1]! - opensAt : null;
  // a sell-out within one millisecond (a stock of one) is as fast as the clock can say
  const rate = (ms: number | null) => (ms === null ? null : (stock * 1000) / Math.max(1, ms));
  return {
    opening_to_first_success_ms: first === null ? null : Math.round(first),
    time_to_sell_out_ms: soldOut === null ? null : Math.round(soldOut),
    sell_out_orders_per_s: rate(soldOut),
    taking_orders_per_s: rate(first !== null && soldOut !== null ? soldOut - first : null),
  };
}

/** How far the sell-out rate is from the target, in words for the summary and the page. */
/** The pre-queue against the stock: whether later arrivals had to buy for the sale to sell out. */
export function preQueueText(places: number | null, stock: number): string {
  if (places === null) return 'not shuffled';
  const of = `${places.toLocaleString('en')} places for ${stock.toLocaleString('en')} units`;
  return places >= stock
    ? `${of}: the stock within the pre-queue`
    : `${of}: ${(stock - places).toLocaleString('en')} ${stock - places === 1 ? 'unit' : 'units'} to later arrivals, each ranked by a pass after its join`;
}

export function againstTarget(rate: number | null, target = TARGET_ORDERS_PER_S): string {
  if (rate === null) return `not sold out: no sell-out rate (target ${target.toLocaleString('en')}/s)`;
  const shown = Math.round(rate).toLocaleString('en');
  if (rate >= target) return `${shown} orders/s: meets the ${target.toLocaleString('en')}/s target`;
  return `${shown} orders/s: ${((rate / target) * 100).toFixed(1)} % of the ${target.toLocaleString('en')}/s target (${(target / rate).toFixed(1)}x short)`;
}

/** The rush's rows; a lottery has no rush to time (the draw allots the stock, winners pay afterwards). */
export function sellOutRows(
  r: Pick<
    Report,
    | 'mode'
    | 'time_to_sell_out_ms'
    | 'sell_out_orders_per_s'
    | 'taking_orders_per_s'
    | 'overbook_percent'
    | 'purchase_ceiling_orders_per_s'
    | 'as_residents_saw'
    | 'pre_queue_places'
    | 'stock'
  >,
): Array<[string, string]> {
  if (r.mode === 'lottery')
    return [['sell-out', 'no rush to time: the draw allots the stock, winners pay after it']];
  return [
    [
      'admitted at once, at most',
      r.overbook_percent
        ? `what the stock left can serve + ${r.overbook_percent} %`
        : 'what the stock left can serve',
    ],
    ['pre-queue at the shuffle', preQueueText(r.pre_queue_places, r.stock)],
    [
      'time to sell out',
      r.time_to_sell_out_ms === null ? 'not sold out' : `${(r.time_to_sell_out_ms / 1000).toFixed(2)} s`,
    ],
    ['sell-out rate: stock / time to sell out', againstTarget(r.sell_out_orders_per_s)],
    ['orders taken once the first was: stock / (sell-out − first order)', ordersTaken(r.taking_orders_per_s)],
    ['the same as the residents had the answers', asResidentsSaw(r.as_residents_saw)],
    [
      "the database's purchase ceiling, same run",
      ofCeiling(r.sell_out_orders_per_s, r.purchase_ceiling_orders_per_s),
    ],
  ];
}

/** "queue_turn: sent 812, cancelled 3188", kinds joined by `between` (none: "none") */
export function noticesLine(notices: Record<string, Record<string, number>>, between = '; '): string {
  const kinds = Object.entries(notices).map(
    ([kind, by]) =>
      `${kind}: ${Object.entries(by)
        .map(([status, n]) => `${status} ${n.toLocaleString('en')}`)
        .join(', ')}`,
  );
  return kinds.length ? kinds.join(between) : 'none';
}

/** The rate once orders were taken: not against the target, which a late first order would flatter. */
export function ordersTaken(rate: number | null): string {
  return rate === null ? 'not sold out' : `${Math.round(rate).toLocaleString('en')} orders/s`;
}

/** The sell-out once the slow residents' networks brought the answers home: later, so a lower rate. */
export function asResidentsSaw(f: Report['as_residents_saw']): string {
  if (f?.time_to_sell_out_ms == null || f.sell_out_orders_per_s === null) return 'not sold out';
  const rate = Math.round(f.sell_out_orders_per_s).toLocaleString('en');
  return `sold out ${(f.time_to_sell_out_ms / 1000).toFixed(2)} s after opening, ${rate} orders/s (their added latency on the way back included)`;
}

/** The ceiling in orders/s and the share of it the sell-out reached. */
export function ofCeiling(rate: number | null, ceiling: number | null): string {
  if (ceiling === null) return 'not measured';
  const shown = `${Math.round(ceiling).toLocaleString('en')} orders/s (instant_buy_many straight from a client, no HTTP)`;
  return rate === null
    ? shown
    : `${shown}; the sell-out reached ${((rate / ceiling) * 100).toFixed(1)} % of it`;
}

export function latencyFigures(samples: Sample[]) {
  const all = samples.map((s) => s.ms).sort((a, b) => a - b);
  const byWhat: Report['latency_by_request'] = {};
  for (const what of new Set(samples.map((s) => s.what))) {
    const ms = samples
      .filter((s) => s.what === what)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    byWhat[what] = { count: ms.length, p50_ms: percentile(ms, 50), p99_ms: percentile(ms, 99) };
  }
  // a loop, not Math.max(...): a long run's samples are more arguments than a call may take
  const last = Math.ceil(samples.reduce((m, s) => Math.max(m, s.at), 0) / 1000);
  const series: Report['series'] = { second: [], requests: [], errors: [], p99_ms: [] };
  const buckets = Array.from({ length: last + 1 }, () => [] as Sample[]);
  for (const s of samples) buckets[Math.floor(s.at / 1000)]!.push(s);
  buckets.forEach((b, i) => {
    series.second.push(i);
    series.requests.push(b.length);
    series.errors.push(b.filter((s) => s.status === 0 || s.status >= 500).length);
    series.p99_ms.push(
      percentile(
        b.map((s) => s.ms).sort((x, y) => x - y),
        99,
      ) || 0,
    );
  });
  return {
    p50_ms: percentile(all, 50),
    p99_ms: percentile(all, 99),
    http_5xx: samples.filter((s) => s.status >= 500).length,
    http_errors: samples.filter((s) => s.status === 0).length,
    latency_by_request: byWhat,
    series,
  };
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function writeReport(dir: string, r: Report): { json: string; html: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'report.json');
  const html = path.join(dir, 'report.html');
  fs.writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  // chart.js exports no subpath for its browser build: find it beside the package's main file.
  const main = createRequire(import.meta.url).resolve('chart.js');
  const chartJs = fs.readFileSync(path.join(path.dirname(main), 'chart.umd.min.js'), 'utf8');
  const rows = (pairs: Array<[string, string | number]>) =>
    pairs.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(String(v))}</td></tr>`).join('');
  const speeds = Object.entries(r.success_by_speed);
  fs.writeFileSync(
    html,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Simulation: ${r.mode}, ${r.residents} residents, ${r.stock} in stock</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:1100px;margin:0 auto;padding:1rem;color:#1b1b1b}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border-bottom:1px solid #ccc;padding:.3rem .8rem;text-align:left}td{white-space:pre-line}
.ok{color:#0a6b2b}.bad{color:#a4161a;font-weight:700}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
canvas{max-width:100%}@media (max-width:480px){th,td{padding:.3rem .5rem}}</style></head><body>
<h1>${r.mode === 'instant' ? 'Instant sale' : 'Lottery'}: ${r.residents.toLocaleString('en')} residents, ${r.stock.toLocaleString('en')} in stock</h1>
<h2>Invariants</h2><ul>${r.invariants.map((i) => `<li class="${i.ok ? 'ok' : 'bad'}">${i.ok ? '✔' : '✘'} ${esc(i.name)}: ${esc(i.detail)}</li>`).join('')}</ul>
<div class="grid"><div><h2>Outcome</h2><table>${rows([
      ['sold / remaining', `${r.sold} / ${r.remaining}`],
      ['orders, paid, issued, refunded', `${r.orders}, ${r.paid}, ${r.issued}, ${r.refunded}`],
      ['over the limit', r.over_limit],
      ['share of residents served', `${(r.share_served * 100).toFixed(1)} %`],
      [
        'opening to first success',
        r.opening_to_first_success_ms === null ? '–' : `${r.opening_to_first_success_ms} ms`,
      ],
      ...sellOutRows(r),
      ['orders per second, first to last acceptance', r.orders_per_s.toFixed(0)],
      ['notices at the end, by kind and status', noticesLine(r.notices, '\n')],
      [
        'CPU: simulated clients / service',
        `${r.cpu_s.simulator.toFixed(1)} s / ${r.cpu_s.service === null ? '–' : `${r.cpu_s.service.toFixed(1)} s`}`,
      ],
    ])}</table></div>
<div><h2>Servers</h2><table>${rows([
      ['service web processes', r.web_processes],
      ['requests', r.requests],
      ['HTTP 5xx / failed connections', `${r.http_5xx} / ${r.http_errors}`],
      [
        'connections dropped for a full accept queue (the machine’s)',
        r.listen_overflows === null ? '–' : r.listen_overflows,
      ],
      ['latency p50 / p99', `${r.p50_ms} / ${r.p99_ms} ms`],
      ...Object.entries(r.latency_by_request).map(([k, v]): [string, string] => [
        `${k} (${v.count})`,
        `p50 ${v.p50_ms} ms, p99 ${v.p99_ms} ms`,
      ]),
    ])}</table></div></div>
<h2>Served by client speed</h2><table><tr><th scope="col">speed</th><th scope="col">residents</th><th scope="col">served</th><th scope="col">share</th></tr>
${speeds.map(([k, v]) => `<tr><td>${k}</td><td>${v.residents}</td><td>${v.served}</td><td>${v.residents ? ((v.served / v.residents) * 100).toFixed(1) : '0'} %</td></tr>`).join('')}</table>
<p>Chi-square test of independence between speed class and being served: χ² = ${r.chi_square.toFixed(2)}, p = ${r.speed_independence_p.toPrecision(3)}
(${r.speed_independence_p < 0.01 ? '<strong class="bad">rejected at the 1 % level: being served depends on client speed</strong>' : '<span class="ok">not rejected at the 1 % level</span>'}).</p>
<div class="grid"><div><h2>Requests per second</h2><canvas id="rps" aria-label="Requests and errors per second" role="img"></canvas></div>
<div><h2>p99 latency per second (ms)</h2><canvas id="lat" aria-label="p99 latency per second" role="img"></canvas></div>
<div><h2>Share served by speed</h2><canvas id="speed" aria-label="Share served by client speed" role="img"></canvas></div></div>
<script>${chartJs}</script>
<script>const r=${JSON.stringify({ series: r.series, speeds })};
new Chart(document.getElementById('rps'),{type:'line',data:{labels:r.series.second,datasets:[{label:'requests',data:r.series.requests,borderColor:'#0b4f8a',pointRadius:0},{label:'errors',data:r.series.errors,borderColor:'#a4161a',pointRadius:0}]},options:{animation:false,scales:{x:{title:{display:true,text:'s'}}}}});
new Chart(document.getElementById('lat'),{type:'line',data:{labels:r.series.second,datasets:[{label:'p99 ms',data:r.series.p99_ms,borderColor:'#6a3d9a',pointRadius:0}]},options:{animation:false}});
new Chart(document.getElementById('speed'),{type:'bar',data:{labels:r.speeds.map(s=>s[0]),datasets:[{label:'% served',data:r.speeds.map(s=>s[1].residents?100*s[1].served/s[1].residents:0),backgroundColor:['#0b4f8a','#e08b00','#a4161a']}]},options:{animation:false,scales:{y:{min:0,max:100}}}});</script>
</body></html>
`,
  );
  return { json, html };
}
