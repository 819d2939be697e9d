// SIGTERM / SIGINT: stop each part that has started, in a fixed order (HTTP first, the embedded database
// last), saying which part failed if one does, and never hanging: past the grace plus a margin it exits anyway.
// Armed before anything starts, so a signal during start-up still stops the database it started.
import type { Logger } from './logger.js';

const MARGIN_MS = 20_000;

export function shutdownInOrder<Name extends string>(
  logger: Logger,
  graceMs: number,
  order: readonly Name[],
) {
  const parts = new Map<Name, () => Promise<unknown>>();
  let stopping = false;
  const stopParts = async () => {
    setTimeout(() => {
      logger.error({ after_ms: graceMs + MARGIN_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, graceMs + MARGIN_MS).unref();
    let failed = false;
    for (const name of order) {
      const part = parts.get(name);
      if (!part) continue;
      try {
        await part();
      } catch (err) {
        failed = true;
        logger.error({ err, part: name }, `shutdown: stopping the ${name} failed`);
      }
    }
    return failed;
  };
  const stop = async (signal: string) => {
    if (stopping) return; // npm forwards the Ctrl-C that the terminal already sent us
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing the requests already sent');
    const failed = await stopParts();
    logger.info('stopped');
    process.exit(failed ? 1 : 0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return {
    /** registers how to stop a part that has just started */
    add(name: Name, part: () => Promise<unknown>) {
      parts.set(name, part);
    },
    /** start-up failed: say why, stop what had started (the embedded database), exit 1 */
    async failedToStart(err: unknown): Promise<never> {
      // interrupted while starting: the signal's own stop is under way and exits when done
      if (stopping) return new Promise<never>(() => {});
      stopping = true;
      process.stderr.write(`Failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
      await stopParts();
      return process.exit(1);
    },
  };
}

/** A forked child's stop: on SIGTERM, SIGINT or its parent gone, run `stop` once and exit 0. */
export function exitWhenStopped(stop: () => Promise<unknown>): void {
  let stopping = false;
  const once = async () => {
    if (stopping) return;
    stopping = true;
    await stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void once());
  process.on('SIGINT', () => void once());
  process.on('disconnect', () => void once()); // the parent is gone
}
