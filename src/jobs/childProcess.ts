// npm start's own child processes, forked from a sibling entry of src/: the draw worker (src/drawWorker.ts:
// the freeze and the draw each hold a core for seconds at a million applications, which the web process's
// event loop must never wait behind) and the public stock reads (src/stockReads.ts). A child is restarted if
// it dies; a job the draw worker held goes back to the queue once its heartbeat is stale.
import { type ChildProcess, fork } from 'node:child_process';
import type { Logger } from '../logger.js';
import { moduleBeside } from '../paths.js';

const RESTART_AFTER_MS = 1000;

export interface ForkedProcess {
  /** resolves once the child says it is running; rejects if its first start exits before that */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** Forks src/<entry> (with this module's own extension: .ts under tsx, .js when built) with `env` added. */
export function startChildProcess(
  entry: 'drawWorker' | 'stockReads',
  what: string,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): ForkedProcess {
  const file = moduleBeside(import.meta.url, `../${entry}`);
  let child: ChildProcess | undefined;
  let stopping = false;
  let started = false;
  let markReady: () => void = () => {};
  let markFailed: (err: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  ready.catch(() => {}); // a caller that does not wait for it is told by the log below
  const spawnChild = () => {
    // detached: its own process group, so a Ctrl-C in the terminal reaches only the parent, which stops it
    // in order (it used to die first and be logged as a crash and restarted mid-shutdown)
    const c = fork(file, [], { env: { ...process.env, ...env }, stdio: 'inherit', detached: true });
    child = c;
    let failed: string | undefined; // what the child said of its failure, if it said
    c.on('message', (m: unknown) => {
      if (m && typeof m === 'object' && 'failed' in m) failed = String(m.failed);
      if (m !== 'ready') return;
      started = true;
      markReady();
    });
    c.on('exit', (code, signal) => {
      if (stopping) return;
      if (!started)
        markFailed(new Error(failed ?? `${what} exited (${signal ?? code}) before it was running`));
      logger.error({ code, signal }, `${what} process exited; restarting it`);
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

export const startDrawProcess = (databaseUrl: string, logger: Logger) =>
  startChildProcess('drawWorker', 'the draw worker', { DATABASE_URL: databaseUrl }, logger);
