// A script under scripts/ run as a child process, the way an operator runs it: draw and verify as npm runs them
// (the cached bundle of scripts/bundled.mjs), the others from their build (entryArgs). Resolves with its exit code
// and whole output.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { rootDir } from '../../src/paths.js';

export const projectRoot = rootDir;

/**
 * Node's arguments for one of the project's TypeScript entries (`src/main.ts`, `scripts/migrate.ts`, …) started
 * as a child: its JavaScript in build/, which npm test transpiled with esbuild (the transform tsx applies too), or
 * under tsx when there is no such build. Under tsx's loader hooks a child took 2.0-2.4 s (3 s of CPU) to start;
 * the test that starts the service through `npm start` (test/ops/process.test.ts) still runs it under tsx.
 */
export function entryArgs(file: string): string[] {
  const built = join(rootDir, 'build', file.replace(/\.ts$/, '.js'));
  return fs.existsSync(built) ? ['--enable-source-maps', built] : ['--import', 'tsx', join(rootDir, file)];
}

export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const path = join(projectRoot, 'scripts', script);
    const bundled = script === 'draw.ts' || script === 'verify.ts';
    const argv = bundled
      ? [join(projectRoot, 'scripts', 'bundled.mjs'), path]
      : entryArgs(`scripts/${script}`);
    const child = spawn(process.execPath, [...argv, ...args], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    // 'close', not 'exit': the child may have exited before its stdout and stderr are read to their end
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
