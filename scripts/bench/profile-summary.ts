// node --import tsx scripts/bench/profile-summary.ts <file.cpuprofile> [--last 10] [--skip-last 2] [--top 25]
// Where a V8 CPU profile (node --cpu-prof, e.g. `npm run bench -- intake --profile DIR`) spends its time:
// functions by self and by total time, and modules (a package, a src/ file, node internals) by self time.
// --last N keeps only the last N seconds of samples (the load window, not start-up or module loading), and
// --skip-last M leaves out the final M of them (a simulation's sell-out, not what came after).
import fs from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    last: { type: 'string' },
    'skip-last': { type: 'string' },
    top: { type: 'string', default: '25' },
  },
});
if (!positionals[0]) {
  console.error('usage: profile-summary.ts <file.cpuprofile> [--last SECONDS] [--top N]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(positionals[0], 'utf8')) as Profile;
const TOP = Number(values.top);
const IDLE = new Set(['(idle)', '(root)']);

/** node_modules/<package>, a path under src/ or scripts/, node:internal, or the V8 pseudo-frame itself. */
function moduleOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/((?:src|scripts)\/.*)$/.exec(url);
  if (own) return own[1]!;
  return url.startsWith('node:') ? url.replace(/^node:internal\/.*$/, 'node:internal') : url;
}
const keyOf = (n: ProfileNode) => {
  const f = n.callFrame;
  const name = f.functionName || '(anonymous)';
  return f.url ? `${name} ${moduleOf(f.url, name)}:${f.lineNumber + 1}` : name;
};

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Sample i lasted timeDeltas[i + 1] (V8's deltas are before each sample); times in microseconds.
let at = profile.startTime;
const times = profile.samples.map((_, i) => (at += profile.timeDeltas[i] ?? 0));
const from = values.last ? profile.endTime - Number(values.last) * 1e6 : -Infinity;
const to = profile.endTime - Number(values['skip-last'] ?? 0) * 1e6;

const self = new Map<string, number>();
const total = new Map<string, number>();
const modules = new Map<string, number>();
let busy = 0;
let all = 0;
for (let i = 0; i < profile.samples.length; i++) {
  if (times[i]! < from || times[i]! > to) continue;
  const us = profile.timeDeltas[i + 1] ?? 0;
  const node = byId.get(profile.samples[i]!)!;
  all += us;
  const name = node.callFrame.functionName;
  if (IDLE.has(name)) continue;
  busy += us;
  const k = keyOf(node);
  self.set(k, (self.get(k) ?? 0) + us);
  const m = moduleOf(node.callFrame.url, name);
  modules.set(m, (modules.get(m) ?? 0) + us);
  // Total time: each function once per sample, however often it recurs on the stack.
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const key = keyOf(byId.get(id)!);
    if (seen.has(key) || IDLE.has(byId.get(id)!.callFrame.functionName)) continue;
    seen.add(key);
    total.set(key, (total.get(key) ?? 0) + us);
  }
}

function table(title: string, m: Map<string, number>) {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(
      `${(us / 1000).toFixed(0).padStart(8)} ms ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${k}`,
    );
  }
}
console.log(
  `${(all / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((busy / all) * 100).toFixed(0)} %, idle excluded)`,
);
table('self time by function', self);
table('total time by function', total);
table('self time by module', modules);
