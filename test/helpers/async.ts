// Small waits for tests of things that must not have finished yet.
import type { Db } from '../../src/db/knex.js';

/** Whether `p` is still unsettled `ms` later: a stop or a close that must wait for work in flight. */
export async function pendingAfter(p: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  const mark = () => {
    settled = true;
  };
  p.then(mark, mark);
  await new Promise((r) => setTimeout(r, ms));
  return !settled;
}

/**
 * Rows held locked (FOR UPDATE) by another transaction, as a concurrent buy or settlement holds them, from when this
 * resolves until the returned release is called (which resolves once that transaction has ended).
 */
export async function heldLocked(
  db: Db,
  table: string,
  where: Record<string, unknown>,
): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => {
    locked = r;
  });
  const holder = db.transaction(async (trx) => {
    await trx(table).where(where).forUpdate();
    locked();
    await released;
  });
  await Promise.race([isLocked, holder]);
  return async () => {
    release();
    await holder;
  };
}
