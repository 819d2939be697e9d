// The one esbuild set-up behind the committed browser scripts (static/counter.js, static/verify.js), and the
// command line both build scripts share: write the file, or with --check exit 1 if the committed one differs.
import fs from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { rootDir } from '../src/paths.js';

/**
 * Bundles `entry` into one minified browser script headed by `banner`: an IIFE, or an ES module for a piece a page
 * imports only when it needs it (by its /static/ address, which the bundler leaves alone). Refuses a build that
 * still reaches Node.
 */
export async function bundleForBrowser(
  entry: string,
  banner: string,
  plugins: Plugin[] = [],
  format: 'iife' | 'esm' = 'iife',
): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format,
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    plugins,
    banner: { js: banner },
  });
  const text = result.outputFiles[0]!.text;
  if (/node:|require\(/.test(text)) throw new Error('the browser build still reaches a Node module');
  return text;
}

/** `npm run <script>` writes `outPath` from a fresh build; `-- --check` exits 1 if the committed file differs. */
export async function runBuildCommand(outPath: string, script: string, buildText: () => Promise<string>) {
  const name = path.relative(rootDir, outPath);
  const text = await buildText();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(outPath) ? fs.readFileSync(outPath, 'utf8') : '';
    if (current !== text) {
      console.error(`${name} is out of date: run npm run ${script}`);
      process.exit(1);
    }
    console.log(`${name} is current`);
  } else {
    fs.writeFileSync(outPath, text);
    console.log(`wrote ${name} (${(text.length / 1024).toFixed(0)} KiB)`);
  }
}
