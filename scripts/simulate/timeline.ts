// An instant sale's opening, resident by resident, from a run's samples.json (SIM_SAMPLES=1): when the held looks
// were answered, how long buys waited at the service, and who set the end of the sell-out and why. The figures a
// report's totals hide: in the runs of 2026-12-04 the looks held for the shuffle were answered over 1.4 s, oldest
// hold first, and the sell-out ended with slow phones whose turn was among the last told.
//   node --import tsx scripts/simulate/timeline.ts DIR [--stock 4000] [--last 10]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { percentile } from '../bench/env.js';
import { type Sample, SPEEDS, type Speed } from './client.js';
import type { SamplesFile } from './diagnostics.js';

/** One bucket of the opening: requests answered by kind, buys sent, their median wait, held looks answered. */
export interface Bucket {
  from_ms: number;
  answered: Record<string, number>;
  buys_sent: number;
  buy_p50_ms: number | null;
  held_looks_answered: number;
  accepted: number;
}

/** A buyer of the sell-out, each step's time since opening (ms): what their acceptance waited for. */
export interface Buyer {
  who: number;
  speed: Speed;
  joined: number;
  look_sent: number | null;
  look_answered: number | null;
  buy_sent: number;
  buy_answered: number;
  /** when the buyer learnt it (the answer plus the way back), as the report's acceptances */
  accepted: number;
}

/** The lower middle; null for none. */
const median = (xs: number[]) =>
  xs.length === 0
    ? null
    : percentile(
        [...xs].sort((a, b) => a - b),
        50,
      );

/** Every resident's first accepted buy, in the order they learnt it. */
export function buyersOf(f: SamplesFile): Buyer[] {
  const byWho = new Map<number, Sample[]>();
  for (const s of f.samples) {
    const list = byWho.get(s.who);
    if (list) list.push(s);
    else byWho.set(s.who, [s]);
  }
  const buyers: Buyer[] = [];
  for (const [who, list] of byWho) {
    list.sort((a, b) => a.at - b.at);
    const buy = list.find((s) => s.what === 'buy' && (s.status === 200 || s.status === 201));
    const join = list.find((s) => s.what === 'join');
    if (!buy || !join) continue;
    const look = list.filter((s) => s.what === 'poll' && s.at <= buy.at).at(-1);
    const speed = f.speeds[who]!;
    const rel = (ms: number) => ms - f.opens_at;
    buyers.push({
      who,
      speed,
      joined: rel(join.at - join.ms),
      look_sent: look ? rel(look.at - look.ms) : null,
      look_answered: look ? rel(look.at) : null,
      buy_sent: rel(buy.at - buy.ms),
      buy_answered: rel(buy.at),
      accepted: rel(buy.at) + SPEEDS[speed].latencyMs / 2,
    });
  }
  return buyers.sort((a, b) => a.accepted - b.accepted);
}

/** Looks sent before the opening and answered after it (held for the shuffle): how many, the first and last answer. */
export function heldLooksOf(f: SamplesFile): { count: number; first: number; last: number } | null {
  let count = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const s of f.samples) {
    const answered = s.at - f.opens_at;
    if (s.what !== 'poll' || answered < 0 || answered - s.ms >= 0) continue;
    count++;
    first = Math.min(first, answered);
    last = Math.max(last, answered);
  }
  return count ? { count, first, last } : null;
}

/** The opening in buckets of `stepMs`, from `fromMs` before it to `toMs` after (both since opening). */
export function bucketsOf(f: SamplesFile, fromMs: number, toMs: number, stepMs: number): Bucket[] {
  const n = Math.ceil((toMs - fromMs) / stepMs);
  const buckets: Bucket[] = Array.from({ length: n }, (_, i) => ({
    from_ms: fromMs + i * stepMs,
    answered: {},
    buys_sent: 0,
    buy_p50_ms: null,
    held_looks_answered: 0,
    accepted: 0,
  }));
  const waits: number[][] = buckets.map(() => []);
  const indexOf = (rel: number) => {
    const i = Math.floor((rel - fromMs) / stepMs);
    return i >= 0 && i < n ? i : -1;
  };
  for (const s of f.samples) {
    const answered = s.at - f.opens_at;
    const sent = answered - s.ms;
    const a = indexOf(answered);
    if (a >= 0) {
      const b = buckets[a]!;
      b.answered[s.what] = (b.answered[s.what] ?? 0) + 1;
      // a look sent before the opening and answered after it was held for the shuffle
      if (s.what === 'poll' && sent < 0 && answered >= 0) b.held_looks_answered++;
    }
    const i = indexOf(sent);
    if (s.what === 'buy' && i >= 0) {
      buckets[i]!.buys_sent++;
      waits[i]!.push(s.ms);
    }
  }
  for (const [i, w] of waits.entries()) buckets[i]!.buy_p50_ms = median(w);
  for (const b of buyersOf(f)) {
    const i = indexOf(b.accepted);
    if (i >= 0) buckets[i]!.accepted++;
  }
  return buckets;
}

function print(f: SamplesFile, stock: number, last: number): void {
  const buyers = buyersOf(f);
  const sellOut = buyers.slice(0, stock);
  const end = sellOut.at(-1)?.accepted ?? 5000;
  const row = (cells: Array<string | number | null>) =>
    console.log(cells.map((c) => String(c ?? '–').padStart(8)).join(' '));
  console.log(`from opening (ms), buckets of 250 ms; the ${stock}th acceptance at ${Math.round(end)} ms`);
  row(['from', 'joins', 'looks', 'held', 'buys sent', 'buy p50', 'buys', 'accepted']);
  for (const b of bucketsOf(f, -500, end + 500, 250))
    row([
      b.from_ms,
      b.answered.join ?? 0,
      b.answered.poll ?? 0,
      b.held_looks_answered,
      b.buys_sent,
      b.buy_p50_ms,
      b.answered.buy ?? 0,
      b.accepted,
    ]);
  const held = heldLooksOf(f);
  if (held)
    console.log(
      `\n${held.count} looks held for the shuffle, answered ${Math.round(held.first)} to ${Math.round(held.last)} ms after opening`,
    );
  const bySpeed = Object.keys(SPEEDS).map((s) => {
    const times = sellOut.filter((b) => b.speed === s).map((b) => b.accepted);
    return `${s} ${times.length} (median ${median(times) === null ? '–' : Math.round(median(times)!)} ms)`;
  });
  console.log(`\nthe sell-out's buyers by speed: ${bySpeed.join(', ')}`);
  console.log(`\nthe last ${last} of the sell-out (ms from opening):`);
  row(['speed', 'joined', 'look sent', 'answered', 'buy sent', 'answered', 'accepted']);
  for (const b of sellOut.slice(-last))
    row([
      b.speed,
      Math.round(b.joined),
      b.look_sent === null ? null : Math.round(b.look_sent),
      b.look_answered === null ? null : Math.round(b.look_answered),
      Math.round(b.buy_sent),
      Math.round(b.buy_answered),
      Math.round(b.accepted),
    ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { stock: { type: 'string', default: '4000' }, last: { type: 'string', default: '10' } },
  });
  const dir = positionals[0];
  const stock = Number(values.stock);
  const last = Number(values.last);
  if (!dir || !(stock > 0) || !(last > 0)) {
    console.error('usage: node --import tsx scripts/simulate/timeline.ts DIR [--stock S] [--last N]');
    process.exit(2);
  }
  const file = path.join(dir, 'samples.json');
  if (!fs.existsSync(file)) {
    console.error(`${file} is not there: run the simulation with SIM_SAMPLES=1 and --out ${dir}`);
    process.exit(2);
  }
  const f = JSON.parse(fs.readFileSync(file, 'utf8')) as SamplesFile;
  if (!Array.isArray(f.speeds)) {
    console.error(
      `${file} has no residents' speeds: it was written before 2026-12-04; run the simulation again`,
    );
    process.exit(2);
  }
  print(f, stock, last);
}
