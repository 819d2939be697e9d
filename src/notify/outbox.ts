// The outbox relay: messages are written by the use case's own transaction (enqueueNotice); this loop hands
// them to graphile-worker in batches. It runs beside every notification worker; SKIP LOCKED keeps several
// relays from taking the same messages, and a crash leaves them waiting for the next pass.
import type { Knex } from 'knex';
import { addJobsForWaitingMessages } from '../db/repos/messages.js';
import type { Logger } from '../logger.js';

export interface OutboxRelayOptions {
  db: Knex;
  logger: Logger;
  /** how long an idle relay waits before looking again; bounds the extra delay before a send */
  idleMs: number;
  /** messages per add_jobs call; a full batch is followed at once by the next */
  batchSize: number;
}

export interface OutboxRelay {
  stop(): Promise<void>;
}

export function startOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  /** passes until a batch comes back short, so a backlog drains without waiting between batches */
  const drain = async (): Promise<void> => {
    for (;;) {
      const n = await addJobsForWaitingMessages(opts.db, opts.batchSize);
      if (n < opts.batchSize || stopped) return;
    }
  };
  const pass = () => {
    running = drain()
      .catch((err) => opts.logger.warn({ err }, 'outbox relay pass failed; trying again'))
      .finally(() => {
        if (!stopped) timer = setTimeout(pass, opts.idleMs);
      });
  };
  pass();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
