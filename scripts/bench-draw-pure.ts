// Pure draw-v1 benchmark: 1,000,000 entries and 23,000 sites x 3 slots, generated deterministically,
// then runDraw and verifyBundle, timed. Usage: node --import tsx scripts/bench-draw-pure.ts [n] [sites]
import { type RosterEntry, type Rules, runDraw, verifyBundle } from '../src/domain/draw/index.js';

/** xorshift32 from a fixed seed: the same input every run. */
function generator(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

export function makeInput(n: number, siteCount: number): { rules: Rules; roster: RosterEntry[] } {
  const next = generator(20240601);
  const sites = Array.from({ length: siteCount }, (_, s) => ({
    id: `S${String(s).padStart(5, '0')}`,
    slots: ['am', 'pm', 'eve'].map((t) => ({ id: t, capacity: 10 + (next() % 6) })),
  }));
  const rules: Rules = {
    unit: 'item',
    total: Math.floor(n * 0.8),
    per_person_max: 2,
    denomination: 1,
    partial: 'partial',
    groups: [
      { name: 'senior', reserved: Math.floor(n / 20) },
      { name: 'disability', reserved: Math.floor(n / 50) },
    ],
    sites,
  };
  const roster: RosterEntry[] = [];
  for (let i = 0; i < n; i++) {
    const g = next() % 100;
    const home = next() % siteCount;
    roster.push({
      public_id: `A${String(i).padStart(7, '0')}`,
      group: g < 10 ? 'senior' : g < 14 ? 'disability' : '',
      weight: 1 + (next() % 3 === 0 ? 1 : 0),
      request: 1 + (next() % 3),
      preferences:
        siteCount === 0
          ? []
          : [...new Set([home, (home + 1) % siteCount, (home + 7) % siteCount])].map((s) => sites[s]!.id),
    });
  }
  // Shuffle so that runDraw has to sort (applications arrive in any order).
  for (let i = roster.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [roster[i], roster[j]] = [roster[j]!, roster[i]!];
  }
  return { rules, roster };
}

export function benchPureDraw(n: number, siteCount: number) {
  const { rules, roster } = makeInput(n, siteCount);
  const secret = new Uint8Array(32).map((_, i) => i * 7 + 1);
  let t = performance.now();
  const bundle = runDraw({
    campaign: { id: 'bench', title: 'bench' },
    rules,
    roster,
    secret,
    beacon: 'drand round 1',
  });
  const drawSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const verdict = verifyBundle(bundle);
  const verifySeconds = (performance.now() - t) / 1000;
  const winners = bundle.results.filter((r) => r.outcome === 'won').length;
  return {
    entries: n,
    sites: siteCount,
    winners,
    verdict: verdict.ok ? 'match' : `${verdict.check}: ${verdict.message}`,
    drawSeconds,
    verifySeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const sites = Number(process.argv[3] ?? 23_000);
  const r = benchPureDraw(n, sites);
  console.log(`entries ${r.entries}, sites ${r.sites} x 3 slots, winners ${r.winners}, verify: ${r.verdict}`);
  console.log('| measure          | value     | target   |');
  console.log('|------------------|-----------|----------|');
  console.log(`| pure draw        | ${r.drawSeconds.toFixed(2).padStart(7)} s | <= 5 s   |`);
  console.log(`| verification     | ${r.verifySeconds.toFixed(2).padStart(7)} s | <= 15 s  |`);
  console.log(`| peak RSS         | ${r.peakRssMiB.toFixed(0).padStart(5)} MiB | < 1.5 GB |`);
}
