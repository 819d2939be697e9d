// npm run bench -- draw [--applications 1000000] [--sites 23000] [--keep] (--keep: leave the CLI's inputs and
// bundles in their folder and print the two commands, to time `npm run draw` and `npm run verify` again)
// 1,000,000 applications and 23,000 sites x 3 slots, generated with SQL generate_series, then timed:
//   freeze   the close: snapshot the roster in bytewise order, leaf hashes, Merkle levels, root
//   pure     drawColumns on the roster loaded into columns (no database): what the service's draw runs;
//            then, for comparison, runDraw on the roster loaded as 1M entry objects (the old path)
//   draw     load + runDraw + persist every result, the outcome and the audit entry in one transaction
//   verify   stream the bundle from the tables to a file, then `scripts/verify.ts` in a fresh process
//   CLI      `scripts/draw.ts` on the roster in shuffled order, then `scripts/verify.ts` on its bundle
// Peak memory is this process's maxRSS (the service's side); the verifier's own peak is printed as well.
// Over 300 lines on purpose: set-up, five timed phases and the table of one benchmark, in the order they run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { drawCampaign } from '../../src/commands/drawCampaign.js';
import type { DrawContext } from '../../src/commands/drawContext.js';
import { commitDraw, freezeDrawRoster, secretAad } from '../../src/commands/drawHooks.js';
import { streamBundle } from '../../src/commands/streamBundle.js';
import { seededRandom } from '../../src/crypto/random.js';
import { migrateAll } from '../../src/db/migrate.js';
import { findDraw } from '../../src/db/repos/draws.js';
import { loadRoster, loadRosterFile } from '../../src/db/repos/roster.js';
import type { Campaign } from '../../src/domain/campaign.js';
import {
  drawColumns,
  fromHex,
  type RosterEntry,
  type RosterFile,
  runDraw,
  validateRules,
} from '../../src/domain/draw/index.js';
import { decryptText } from '../../src/identity/crypto.js';
import { seedDrawCampaign } from './drawSetup.js';
import { benchDatabase, printTable } from './env.js';

const { values } = parseArgs({
  options: {
    applications: { type: 'string', default: '1000000' },
    sites: { type: 'string', default: '23000' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.applications);
const SITES = Number(values.sites);

const bench = await benchDatabase('draw', 4);
const db = bench.db;
await migrateAll(db, bench.url); // graphile-worker's schema too: the draw enqueues its fan-out job
const secrets = {
  sessionSecret: Buffer.alloc(32, 1),
  identityPepper: Buffer.alloc(32, 2),
  dataKey: Buffer.alloc(32, 3),
  claimSigningKey: Buffer.alloc(32, 4),
};
const now = new Date('2026-12-10T00:00:00Z');
const clock = { now: () => now };
const ctx: DrawContext = {
  db,
  clock,
  secrets,
  random: seededRandom('bench'),
  publicUrl: 'http://127.0.0.1',
  beaconSource: 'drand quicknet: the first round after {closes_at}',
};
const secs = (t: number) => ((performance.now() - t) / 1000).toFixed(2);
// CPU seconds of this process (client side) and of the PostgreSQL backends serving the bench database
// (server side, read from /proc when PostgreSQL runs on this host; '?' otherwise). On a shared machine
// wall time grows with everyone else's load, CPU time much less: all three are printed.
const CLK_TCK = 100;
function serverCpu(): number {
  let total = 0;
  try {
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1');
        if (!cmd.startsWith('postgres: ') || !cmd.includes(` ${bench.name} `)) continue;
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        total += (Number(f[11]) + Number(f[12])) / CLK_TCK;
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return Number.NaN;
  }
  return total;
}
interface Cpu {
  client: NodeJS.CpuUsage;
  server: number;
}
const cpu0 = (): Cpu => ({ client: process.cpuUsage(), server: serverCpu() });
const cpuSecs = (c: Cpu) => {
  const d = process.cpuUsage(c.client);
  return ((d.user + d.system) / 1e6).toFixed(2);
};
const serverSecs = (c: Cpu) => {
  const d = serverCpu() - c.server;
  return Number.isNaN(d) ? '?' : d.toFixed(2);
};
/** Phase breakdown: wall, client CPU and server CPU since the previous mark. */
function phases(label: string) {
  let w = performance.now();
  let c = cpu0();
  const rows: Array<Record<string, string>> = [];
  return {
    start() {
      w = performance.now();
      c = cpu0();
    },
    mark(phase: string) {
      rows.push({
        phase: `${label}: ${phase}`,
        wall_s: ((performance.now() - w) / 1000).toFixed(2),
        client_cpu_s: cpuSecs(c),
        server_cpu_s: serverSecs(c),
      });
      w = performance.now();
      c = cpu0();
    },
    rows,
  };
}
/** A CLI in its own process (as a user runs it: npm run draw): its first stdout line, exit code, CPU seconds and peak RSS. */
function cli(script: string, args: string[]) {
  return new Promise<{ code: number | null; out: string; cpu: string; peak: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      // as npm run draw / verify run it (scripts/bundled.mjs: the script bundled once, no TypeScript loader)
      ['--import', './scripts/bench/cpu-at-exit.mjs', 'scripts/bundled.mjs', `scripts/${script}`, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    let text = '';
    child.stdout.on('data', (d) => {
      text += d;
    });
    child.on('close', (code) => {
      const m = /cpu-at-exit cpu=([\d.]+) maxrss_mib=(\d+)/.exec(err);
      resolve({ code, out: text.trim(), cpu: m?.[1] ?? '?', peak: m?.[2] ?? '?' });
    });
  });
}

/** The roster in a seeded random order: the CLI gets it as a user would, not sorted by the database. */
function shuffled<T>(items: T[]): T[] {
  let x = 20_261_203;
  for (let i = items.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = (x >>> 0) % (i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const freezePhases = phases('close');
const drawPhases = phases('draw');
const rss = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

try {
  let t = performance.now();
  const campaign = await seedDrawCampaign(db, {
    applications: N,
    sites: SITES,
    code: 'BENCHDRAW',
    opensAt: new Date('2026-12-01T00:00:00Z'),
    closesAt: new Date('2026-12-08T00:00:00Z'),
    drawAt: new Date('2026-12-09T00:00:00Z'),
  });
  const fresh = (await db('campaigns').where({ id: campaign.id }).first()) as Campaign;
  await db.transaction((trx) => commitDraw(ctx, trx, fresh, now));
  console.log(`setup (not timed): ${N} applications, ${SITES} sites x 3 slots in ${secs(t)} s`);

  // The close: freeze the roster and publish its root (what the open->closed hook does).
  t = performance.now();
  let c0 = cpu0();
  freezePhases.start();
  await db.transaction(async (trx) => {
    await trx('campaigns').where({ id: campaign.id }).update({ state: 'closed' });
    await freezeDrawRoster(ctx, trx, fresh, now, freezePhases.mark);
  });
  const freezeS = secs(t);
  const freezeCpu = cpuSecs(c0);
  const freezeSrv = serverSecs(c0);
  await db('draws').where({ campaign_id: campaign.id }).update({ beacon: 'drand quicknet round 1: bench' });

  // The pure draw the service runs: drawColumns on the roster loaded into the engine's columns.
  const draw = (await findDraw(db, campaign.id))!;
  const rules = validateRules(JSON.parse(draw.rules));
  const drawInput = (roster: unknown) => ({
    campaign: { id: campaign.id, title: campaign.title_ko },
    rules,
    roster,
    secret: fromHex(decryptText(secrets, draw.secret_enc, secretAad(campaign.id))),
    beacon: 'drand quicknet round 1: bench',
  });
  let loaded: RosterFile | undefined = await loadRosterFile(
    db,
    campaign.id,
    rules,
    draw.roster_size ?? undefined,
  );
  t = performance.now();
  c0 = cpu0();
  const pure = drawColumns(drawInput(loaded));
  const pureS = secs(t);
  const pureCpu = cpuSecs(c0);
  const pureSrv = serverSecs(c0);
  const expectedHash = pure.bundleFields.results_hash;
  const winners = pure.won;
  loaded = undefined; // let the pure run's columns go before the persisted draw loads its own

  // The draw with persistence (load, runDraw, persist all in one transaction).
  t = performance.now();
  c0 = cpu0();
  drawPhases.start();
  const outcome = await drawCampaign(ctx, campaign.id, { mark: drawPhases.mark });
  const drawS = secs(t);
  const drawCpu = cpuSecs(c0);
  const drawSrv = serverSecs(c0);
  if (outcome?.results_hash !== expectedHash)
    throw new Error('the persisted draw differs from the pure draw');
  const peak = rss();

  // For comparison only, after the peak is read: the old path, runDraw on 1M loaded entry objects.
  let entries: RosterEntry[] = await loadRoster(db, campaign.id);
  t = performance.now();
  c0 = cpu0();
  const objectHash = runDraw(drawInput(entries)).results_hash;
  const objectS = secs(t);
  const objectCpu = cpuSecs(c0);
  const objectSrv = serverSecs(c0);
  if (objectHash !== expectedHash) throw new Error('runDraw on entry objects differs from drawColumns');
  entries = [];

  // Verification: stream the bundle to a file, then the standalone verifier in its own process.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-draw-'));
  const file = path.join(dir, 'bundle.json');
  t = performance.now();
  c0 = cpu0();
  const out = fs.createWriteStream(file);
  const c2 = (await db('campaigns').where({ id: campaign.id }).first()) as Campaign;
  for await (const piece of streamBundle(db, c2, (await findDraw(db, campaign.id))!)) {
    if (!out.write(piece)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
  const streamS = secs(t);
  const streamCpu = cpuSecs(c0);
  const streamSrv = serverSecs(c0);
  const sizeMb = (fs.statSync(file).size / 1e6).toFixed(0);
  t = performance.now();
  const verdict = await cli('verify.ts', [file]);
  const verifyS = secs(t);

  // The command-line draw on the same roster in shuffled order, then its bundle verified, each in its own process.
  const d = (await findDraw(db, campaign.id))!;
  const rulesFile = path.join(dir, 'rules.json');
  const rosterFile = path.join(dir, 'roster.json');
  const cliBundle = path.join(dir, 'cli-bundle.json');
  fs.writeFileSync(rulesFile, d.rules);
  fs.writeFileSync(rosterFile, JSON.stringify(shuffled(await loadRoster(db, campaign.id))));
  const secretHex = decryptText(secrets, d.secret_enc, secretAad(campaign.id));
  t = performance.now();
  const drawArgs = [
    ...['--rules', rulesFile, '--roster', rosterFile, '--secret', secretHex],
    ...[
      '--beacon',
      'drand quicknet round 1: bench',
      '--campaign-id',
      campaign.id,
      '--title',
      campaign.title_ko,
    ],
    ...['--out', cliBundle],
  ];
  const drawCli = await cli('draw.ts', drawArgs);
  const drawCliS = secs(t);
  if (!drawCli.out.includes(`results_hash ${expectedHash}`))
    throw new Error(`npm run draw gave another results hash:\n${drawCli.out}`);
  t = performance.now();
  const verifyCli = await cli('verify.ts', [cliBundle]);
  const verifyCliS = secs(t);
  if (values.keep) {
    const args = (a: string[]) =>
      a.map((x) => (/^[\w./:-]+$/.test(x) ? x : `'${x.replaceAll("'", "'\\''")}'`));
    console.log(
      `kept in ${dir}:\n  npm run draw -- ${args(drawArgs).join(' ')}\n  npm run verify -- ${cliBundle}`,
    );
  } else fs.rmSync(dir, { recursive: true, force: true });

  console.log(
    `winners ${winners} of ${N}; results_hash ${expectedHash.slice(0, 16)}…; verifier: ${verdict.out}; ` +
      `CLI draw on the shuffled roster: same hash, its verifier: ${verifyCli.out.split('\n')[0]}`,
  );
  const load = os.loadavg()[0]!.toFixed(1);
  console.log(
    `machine: ${os.cpus().length} cores, load average ${load} at the end (other work inflates wall time)`,
  );
  printTable([
    {
      measure: 'close: freeze roster + Merkle levels',
      wall_s: freezeS,
      client_cpu_s: freezeCpu,
      server_cpu_s: freezeSrv,
      target: '',
    },
    {
      measure: "pure draw, the service's: drawColumns on loaded columns",
      wall_s: pureS,
      client_cpu_s: pureCpu,
      server_cpu_s: pureSrv,
      target: '<= 5 s',
    },
    {
      measure: 'pure draw, old path (runDraw on 1M entry objects)',
      wall_s: objectS,
      client_cpu_s: objectCpu,
      server_cpu_s: objectSrv,
      target: 'comparison only',
    },
    {
      measure: 'draw: load + runDraw + persist (one transaction)',
      wall_s: drawS,
      client_cpu_s: drawCpu,
      server_cpu_s: drawSrv,
      target: '',
    },
    {
      measure: 'end to end: freeze + draw + persist',
      wall_s: (Number(freezeS) + Number(drawS)).toFixed(2),
      client_cpu_s: (Number(freezeCpu) + Number(drawCpu)).toFixed(2),
      server_cpu_s: (Number(freezeSrv) + Number(drawSrv)).toFixed(2),
      target: '<= 20 s',
    },
    {
      measure: `bundle streamed to a file (${sizeMb} MB)`,
      wall_s: streamS,
      client_cpu_s: streamCpu,
      server_cpu_s: streamSrv,
      target: '',
    },
    {
      measure: 'verification (npm run verify, own process)',
      wall_s: verifyS,
      client_cpu_s: verdict.cpu,
      server_cpu_s: '',
      target: '<= 15 s',
    },
    {
      measure: 'npm run draw, shuffled roster (own process)',
      wall_s: drawCliS,
      client_cpu_s: drawCli.cpu,
      server_cpu_s: `peak ${drawCli.peak} MiB`,
      target: '<= 8 s, < 1536 MiB',
    },
    {
      measure: 'npm run verify of that bundle (own process)',
      wall_s: verifyCliS,
      client_cpu_s: verifyCli.cpu,
      server_cpu_s: `peak ${verifyCli.peak} MiB`,
      target: '<= 8 s, < 1536 MiB',
    },
    {
      measure: 'peak RSS, service side (MiB)',
      wall_s: peak,
      client_cpu_s: '',
      server_cpu_s: '',
      target: '< 1536',
    },
    {
      measure: 'peak RSS, verifier process (MiB)',
      wall_s: verdict.peak,
      client_cpu_s: '',
      server_cpu_s: '',
      target: '',
    },
  ]);
  printTable([...freezePhases.rows, ...drawPhases.rows]);
  if (verdict.code !== 0 || drawCli.code !== 0 || verifyCli.code !== 0) process.exitCode = 1;
} finally {
  await bench.close();
}
