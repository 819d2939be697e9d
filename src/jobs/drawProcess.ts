// npm start's draw worker, forked as a child process (src/drawWorker.ts): the freeze and the draw each hold a
// core for seconds at a million applications, which the web process's event loop must never wait behind.
// The child is restarted if it dies; a job it held goes back to the queue once its heartbeat is stale.
import { type ChildProcess, fork } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.js';

// the sibling entry with this module's own extension: .ts under tsx, .js when built
const entry = fileURLToPath(
  new URL(`../drawWorker${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);
const RESTART_AFTER_MS = 1000;

export interface DrawProcess {
  /** resolves once the child's worker is running */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function startDrawProcess(databaseUrl: string, logger: Logger): DrawProcess {
  let child: ChildProcess | undefined;
  let stopping = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const spawnChild = () => {
    // detached: its own process group, so a Ctrl-C in the terminal reaches only the parent, which stops it
    // in order (it used to die first and be logged as a crash and restarted mid-shutdown)
    const c = fork(entry, [], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: 'inherit',
      detached: true,
    });
    child = c;
    c.on('message', (m) => {
      if (m === 'ready') markReady();
    });
    c.on('exit', (code, signal) => {
      if (stopping) return;
      logger.error({ code, signal }, 'the draw worker process exited; restarting it');
      setTimeout(() => !stopping && spawnChild(), RESTART_AFTER_MS).unref();
    });
  };
  spawnChild();
  return {
    ready,
    async stop() {
      stopping = true;
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
      });
    },
  };
}
