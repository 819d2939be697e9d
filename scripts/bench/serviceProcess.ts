// The real service (node --import tsx src/main.ts) as its own process for the benches and the simulator: started
// with the caller's environment over this one, ready when it prints its "Open http://…/" line, and killed if
// this process exits first (a bench or simulator that dies on an error must not leave its service running).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

export interface ServiceProcessOptions {
  /** Set over process.env. */
  env: NodeJS.ProcessEnv;
  /** Node options before the entry point, e.g. --cpu-prof. */
  nodeArgs?: string[];
  timeoutMs?: number;
  /** Where the service's log lines go (appended); dropped when absent. */
  logFile?: string;
}

/** Starts the service; resolves with its process and its base URL (http://host:port, no trailing slash). */
export function startServiceProcess({
  env,
  nodeArgs = [],
  timeoutMs = 120_000, // a loaded machine (load > 10) took over 30 s to start the service
  logFile,
}: ServiceProcessOptions): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.once('exit', () => child.kill('SIGKILL'));
    const timer = setTimeout(
      () => reject(new Error(`the service did not start in ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
    if (log) child.once('exit', () => log.end());
    child.stdout?.on('data', (chunk: Buffer) => {
      log?.write(chunk);
      const m = /Open (http:\/\/[^/\s]+)\//.exec(chunk.toString());
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`the service exited with ${code}`)));
  });
}
