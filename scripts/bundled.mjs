// node scripts/bundled.mjs scripts/draw.ts [args...]: runs a command-line script bundled into one plain
// JavaScript file by esbuild (a devDependency, as tsx is), kept in node_modules/.cache and built again only
// when one of its source files changed (size or mtime). Why: under tsx, the TypeScript loader's thread and
// hooks cost ~0.45 s of CPU at every start of npm run draw / verify; a cached bundle starts in ~0.05 s.
// Plain JavaScript itself, so that it runs without any loader.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const script = path.resolve(process.argv[2] ?? '');
const dir = path.join(import.meta.dirname, '..', 'node_modules', '.cache', 'bundled-scripts');
const key = createHash('sha256').update(script).digest('hex').slice(0, 16);
const out = path.join(dir, `${path.basename(script, '.ts')}-${key}.mjs`);
const stamps = `${out}.inputs.json`;

const stamp = (file) => {
  const s = statSync(file);
  return `${s.size}:${s.mtimeMs}`;
};

/** Is the bundle there and built from the sources as they are now? */
function fresh() {
  try {
    const inputs = JSON.parse(readFileSync(stamps, 'utf8'));
    statSync(out);
    return Object.entries(inputs).every(([file, s]) => stamp(file) === s);
  } catch {
    return false; // no bundle yet, or a source gone
  }
}

if (!fresh()) {
  // buildSync: esbuild runs as a child process for this call only; its long-lived service (build) left
  // this process's stderr writes unflushed at process.exit (a usage message went missing)
  const { buildSync } = await import('esbuild');
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const result = buildSync({
    entryPoints: [script],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external', // dependencies load from node_modules as usual
    outfile: tmp,
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const abs = path.resolve(file);
    inputs[abs] = stamp(abs);
  }
  renameSync(tmp, out); // whole, even with two runs building at once
  writeFileSync(`${stamps}.${process.pid}`, JSON.stringify(inputs));
  renameSync(`${stamps}.${process.pid}`, stamps);
}

process.argv.splice(1, 1); // the script sees its own path and arguments, as under tsx
process.argv[1] = script;
await import(pathToFileURL(out).href);
