// A script under scripts/ run as a child process, the way an operator runs it: draw and verify as npm runs them
// (the cached bundle of scripts/bundled.mjs), the others under tsx. Resolves with its exit code and whole output.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { rootDir } from '../../src/paths.js';

export const projectRoot = rootDir;

export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const path = join(projectRoot, 'scripts', script);
    const bundled = script === 'draw.ts' || script === 'verify.ts';
    const argv = bundled ? [join(projectRoot, 'scripts', 'bundled.mjs'), path] : ['--import', 'tsx', path];
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
