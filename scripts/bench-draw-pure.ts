// Pure draw-v1 benchmark: 1,000,000 entries and 23,000 sites x 3 slots, generated deterministically,
// then runDraw and verifyBundle, timed. Usage: node --import tsx scripts/bench-draw-pure.ts [n] [sites] [--sorted]
// Prints wall and CPU seconds per phase: other work on the same cores inflates wall time, compare CPU.
import { type RosterEntry, type Rules, runDrawPhases, verifyBundlePhases } from '../src/domain/draw/index.js';

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

/** Wall and CPU seconds of each phase the domain reports through its mark callback. */
export interface PhaseTime {
  phase: string;
  wall: number;
  cpu: number;
}

function phaseClock(): { mark: (phase: string) => void; phases: PhaseTime[] } {
  const phases: PhaseTime[] = [];
  let wall = performance.now();
  let cpu = process.cpuUsage();
  return {
    phases,
    mark(phase) {
      const used = process.cpuUsage(cpu);
      phases.push({ phase, wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 });
      wall = performance.now();
      cpu = process.cpuUsage();
    },
  };
}

const total = (ps: PhaseTime[]): PhaseTime => ({
  phase: 'total',
  wall: ps.reduce((a, p) => a + p.wall, 0),
  cpu: ps.reduce((a, p) => a + p.cpu, 0),
});

export function benchPureDraw(n: number, siteCount: number, options: { sorted?: boolean } = {}) {
  const { rules, roster } = makeInput(n, siteCount);
  if (options.sorted) roster.sort((a, b) => (a.public_id < b.public_id ? -1 : 1));
  const secret = new Uint8Array(32).map((_, i) => i * 7 + 1);
  const draw = phaseClock();
  const bundle = runDrawPhases(
    { campaign: { id: 'bench', title: 'bench' }, rules, roster, secret, beacon: 'drand round 1' },
    draw.mark,
  );
  const verify = phaseClock();
  const verdict = verifyBundlePhases(bundle, verify.mark);
  const winners = bundle.results.filter((r) => r.outcome === 'won').length;
  return {
    entries: n,
    sites: siteCount,
    winners,
    resultsHash: bundle.results_hash,
    verdict: verdict.ok ? 'match' : `${verdict.check}: ${verdict.message}`,
    draw: [...draw.phases, total(draw.phases)],
    verify: [...verify.phases, total(verify.phases)],
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

function table(title: string, target: string, phases: PhaseTime[]): void {
  console.log(`| ${title.padEnd(16)} | wall (s) | cpu (s) |`);
  console.log('|------------------|----------|---------|');
  for (const p of phases) {
    const name = p.phase === 'total' ? `**total** ${target}` : p.phase;
    console.log(
      `| ${name.padEnd(16)} | ${p.wall.toFixed(2).padStart(8)} | ${p.cpu.toFixed(2).padStart(7)} |`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2).filter((a) => a !== '--sorted');
  const n = Number(args[0] ?? 1_000_000);
  const sites = Number(args[1] ?? 23_000);
  const sorted = process.argv.includes('--sorted');
  const r = benchPureDraw(n, sites, { sorted });
  console.log(
    `entries ${r.entries} (${sorted ? 'sorted' : 'shuffled'}), sites ${r.sites} x 3 slots, winners ${r.winners}, ` +
      `verify: ${r.verdict}, results_hash ${r.resultsHash}`,
  );
  table('pure draw', '<= 5 s', r.draw);
  table('verification', '<= 15 s', r.verify);
  console.log(`peak RSS ${r.peakRssMiB.toFixed(0)} MiB (target < 1.5 GB)`);
}
