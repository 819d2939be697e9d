// graphile-worker's log for the job runners (draw, payments, housekeeping): its warnings and errors go to
// the service's logger, the rest of its chatter nowhere.
import { Logger as WorkerLogger } from 'graphile-worker';
import type { Logger } from '../logger.js';

export function warningsAndErrorsTo(logger: Logger): WorkerLogger {
  return new WorkerLogger(() => (level, message, meta) => {
    if (level === 'error') logger.error(meta ?? {}, message);
    else if (level === 'warning') logger.warn(meta ?? {}, message);
  });
}
