// Transactions on the request path wait a bounded time for any lock (a row FOR UPDATE, an advisory lock, the
// audit chain's lock), then give up with `busy` (503 + Retry-After) instead of holding the request open.
import { DomainError } from '../domain/errors.js';
import type { Db, Trx } from './knex.js';

/** Far above a healthy lock wait (milliseconds), far below a client's patience or the pool's 10 s. */
export const LOCK_TIMEOUT_MS = 2000;

/** The seconds a refused client is asked to wait (Retry-After): the holder is usually done by then. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

const LOCK_NOT_AVAILABLE = '55P03';
const DEADLOCK_DETECTED = '40P01';

export function isLockTimeout(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === LOCK_NOT_AVAILABLE;
}

/** PostgreSQL chose this transaction to end a deadlock: rolled back whole, so trying again is safe. */
export function isDeadlock(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === DEADLOCK_DETECTED;
}

export function busyError(): DomainError {
  return new DomainError('busy', 'Someone else is changing this right now; try again in a moment', {
    details: { retry_after: BUSY_RETRY_AFTER_SECONDS },
  });
}

/**
 * `db.transaction(run)` whose lock waits end after `lockTimeoutMs` as DomainError('busy'); nothing it wrote
 * stays (the transaction rolls back). A deadlock PostgreSQL ended by rolling this transaction back is `busy`
 * too: a payment's settlement and a new order for the same award can lock the award and the order in opposite
 * orders (the fault-injected payment runs found it), and the client's retry goes through. Not for the worker's
 * long jobs (draw, freeze), which may wait.
 */
export async function inTransaction<T>(
  db: Db | Trx,
  run: (trx: Trx) => Promise<T>,
  lockTimeoutMs = LOCK_TIMEOUT_MS,
): Promise<T> {
  try {
    return await db.transaction(async (trx) => {
      // SET LOCAL takes no bind parameters; the value is our own integer.
      await trx.raw(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
      return run(trx);
    });
  } catch (err) {
    if (isLockTimeout(err) || isDeadlock(err)) throw busyError();
    throw err;
  }
}
