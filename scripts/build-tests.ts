// The suite's JavaScript: src, test, scripts and migrations transpiled by esbuild to build/ (types are `npm run
// check`'s job), which ava runs through @ava/typescript's rewritePaths. Each of the suite's ~200 test processes
// loaded the app through tsx's loader hooks in 2.0-2.4 s (3 s of CPU); as plain JavaScript it is 1.1 s (1.2 s).
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { rootDir } from '../src/paths.js';

export const BUILD_DIR = path.join(rootDir, 'build');
const SOURCES = ['src', 'test', 'scripts', 'migrations'];

export async function buildTests(): Promise<number> {
  const entryPoints = SOURCES.flatMap((dir) =>
    fs
      .readdirSync(path.join(rootDir, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => path.join(rootDir, dir, f)),
  );
  fs.rmSync(BUILD_DIR, { recursive: true, force: true }); // no test of a file since deleted survives a rebuild
  await build({
    entryPoints,
    outdir: BUILD_DIR,
    outbase: rootDir,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true, // failures point at the .ts lines (ava runs its workers with --enable-source-maps)
    bundle: false,
    logLevel: 'warning',
  });
  return entryPoints.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  const files = await buildTests();
  console.log(
    `build-tests: ${files} files to ${path.relative(rootDir, BUILD_DIR)}/ in ${Date.now() - started} ms`,
  );
}
