// Pre-queue looks held until the opening's shuffle (a client that sent `Prefer: wait=N`, RFC 7240): the phones
// waiting at the door learn their turn the moment the pass has ranked them, not at their next poll, and their
// requests were read before the opening rather than in its rush. One shared read of the room's shuffle a
// CHECK_MS for all of a sale's waiters in this process, and only while some wait. Made in the composition root.
import type { Db } from '../../db/knex.js';
import { isShuffled } from '../../db/repos/instantRooms.js';

const CHECK_MS = 100;
/** A process holds at most this many looks; more are answered at once, as without the preference. */
const MAX_WAITERS = 50_000;

export interface ShuffleWaits {
  /** Resolves true once the sale's pre-queue is shuffled, false after `waitMs` or when this process holds too many. */
  until(db: Db, campaignId: string, waitMs: number): Promise<boolean>;
}

export function shuffleWaits(): ShuffleWaits {
  const sales = new Map<string, Set<(shuffled: boolean) => void>>();
  let waiting = 0;

  const watch = (db: Db, campaignId: string, waiters: Set<(shuffled: boolean) => void>) => {
    const check = async () => {
      if (waiters.size === 0) return void sales.delete(campaignId);
      let shuffled = false;
      try {
        shuffled = await isShuffled(db, campaignId);
      } catch {
        // a failed read is tried again at the next check; each waiter still ends at its own time
      }
      if (!shuffled) return void setTimeout(check, CHECK_MS).unref();
      sales.delete(campaignId);
      for (const wake of waiters) wake(true);
    };
    setTimeout(check, CHECK_MS).unref();
  };

  return {
    until(db, campaignId, waitMs) {
      if (waitMs <= 0 || waiting >= MAX_WAITERS) return Promise.resolve(false);
      let waiters = sales.get(campaignId);
      if (!waiters) {
        waiters = new Set();
        sales.set(campaignId, waiters);
        watch(db, campaignId, waiters);
      }
      const set = waiters;
      waiting++;
      return new Promise<boolean>((resolve) => {
        const wake = (shuffled: boolean) => {
          clearTimeout(timer);
          set.delete(wake);
          waiting--;
          resolve(shuffled);
        };
        const timer = setTimeout(() => wake(false), waitMs);
        set.add(wake);
      });
    },
  };
}
