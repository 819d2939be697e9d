// Pre-queue looks held until the opening's shuffle (a client that sent `Prefer: wait=N`, RFC 7240): the phones
// waiting at the door learn their turn the moment the pass has ranked them, not at their next poll, and their
// requests were read before the opening rather than in its rush. When the pass that shuffles runs in this
// process, it hands each waiter its place as committed (rank, ticket, the turn's token): the answer needs no
// read. Otherwise (another process shuffled) one shared read of the room a CHECK_MS for all of a sale's waiters
// in this process, and only while some wait, wakes them to read their place; so does a sale cancelled before its
// opening, whose shuffle will never come. After the opening, an arrival's join or look (unranked, the room not held
// back) waits the same way for the next pass of this process to rank it, when this process runs the passes: that
// pass hands it its rank and, if it let it in, its turn (ranked()), where it was told to look a second later. Made in
// the composition root.
import type { Db } from '../../db/knex.js';
import { shuffledOrOff } from '../../db/repos/instantRooms.js';

const CHECK_MS = 100;
/** A process holds at most this many looks; more are answered at once, as without the preference. */
const MAX_WAITERS = 50_000;

/** A pre-queue place as the opening's pass committed it; `turn` when the pass admitted it. */
export interface OpeningPlace {
  rank: number;
  ticket: string;
  turn?: { jti: string; expires: Date };
}

export interface ShuffleWaits {
  /**
   * Resolves once the sale's pre-queue is shuffled, or after `waitMs`, or at once when this process holds too many:
   * with the place when this process's pass ranked it, otherwise undefined (read the place).
   */
  until(db: Db, campaignId: string, identityId: string, waitMs: number): Promise<OpeningPlace | undefined>;
  /** This process's pass shuffled the sale and committed: every waiter is answered with its place, in rank order. */
  opened(campaignId: string, places: ReadonlyMap<string, OpeningPlace>): void;
  /** Whether this process runs the passes, so that an arrival waiting for its rank is handed it (untilRanked). */
  readonly handsArrivals: boolean;
  /**
   * Resolves with an arrival's place once a pass of this process has ranked it (ranked()), or undefined after
   * `waitMs`, or at once when this process holds too many or runs no pass (read the place).
   */
  untilRanked(campaignId: string, identityId: string, waitMs: number): Promise<OpeningPlace | undefined>;
  /** A later pass of this process ranked these arrivals (and let some in) and committed: their waiters are answered. */
  ranked(campaignId: string, places: ReadonlyMap<string, OpeningPlace>): void;
}

interface Waiter {
  identityId: string;
  wake(place: OpeningPlace | undefined): void;
}

/**
 * How long a process remembers the places its passes ranked, for a join or look that read the room just before a
 * pass committed: short, as a turn it names may be spent or renewed soon after.
 */
const RECENT_MS = 2000;

/** The places one pass of this process committed; `opening` when it was the pass that shuffled the pre-queue. */
interface Pass {
  places: ReadonlyMap<string, OpeningPlace>;
  at: number;
  opening: boolean;
}

/** `handsArrivals`: this process runs the instant sales' passes (RUN_SCHEDULER), so arrivals may wait for them. */
export function shuffleWaits(o: { handsArrivals: boolean } = { handsArrivals: false }): ShuffleWaits {
  // pre-queue looks waiting for the opening's shuffle, and arrivals waiting for a later pass to rank them
  const sales = new Map<string, Set<Waiter>>();
  const arrivals = new Map<string, Set<Waiter>>();
  // What this process's last passes ranked, by sale: a join that committed just before a pass ranked it, or read the
  // room unshuffled and returned after the opening's commit, asks after that pass and is answered from here at once,
  // not by a read of the room on a pool busy with the rush, nor by waiting for a pass that already came.
  const lately = new Map<string, Pass[]>();
  let waiting = 0;

  const recentPasses = (campaignId: string): Pass[] => {
    const now = performance.now();
    return (lately.get(campaignId) ?? []).filter((p) => now - p.at < RECENT_MS);
  };

  const remember = (campaignId: string, places: ReadonlyMap<string, OpeningPlace>, opening: boolean) => {
    lately.set(campaignId, [...recentPasses(campaignId), { places, at: performance.now(), opening }]);
    setTimeout(() => {
      const left = recentPasses(campaignId);
      if (left.length) lately.set(campaignId, left);
      else lately.delete(campaignId);
    }, RECENT_MS).unref();
  };

  /** The place a recent pass gave this person, and whether this process shuffled the sale lately. */
  const recalled = (campaignId: string, identityId: string) => {
    const passes = recentPasses(campaignId);
    const place = passes.map((p) => p.places.get(identityId)).find(Boolean);
    return { place, shuffled: passes.some((p) => p.opening) };
  };

  const watch = (db: Db, campaignId: string, waiters: Set<Waiter>) => {
    const check = async () => {
      if (sales.get(campaignId) !== waiters) return; // answered by the pass
      if (waiters.size === 0) return void sales.delete(campaignId);
      let shuffled = false;
      try {
        shuffled = await shuffledOrOff(db, campaignId);
      } catch {
        // a failed read is tried again at the next check; each waiter still ends at its own time
      }
      if (sales.get(campaignId) !== waiters) return;
      if (!shuffled) return void setTimeout(check, CHECK_MS).unref();
      sales.delete(campaignId);
      for (const w of waiters) w.wake(undefined);
    };
    setTimeout(check, CHECK_MS).unref();
  };

  /** Held until `wake` or `waitMs`; the caller's set forgets it either way. */
  const hold = (set: Set<Waiter>, identityId: string, waitMs: number) => {
    waiting++;
    return new Promise<OpeningPlace | undefined>((resolve) => {
      let woken = false;
      const w: Waiter = {
        identityId,
        wake(place) {
          if (woken) return; // its own wait ran out while the pass's answers were being given
          woken = true;
          clearTimeout(timer);
          set.delete(w);
          waiting--;
          resolve(place);
        },
      };
      const timer = setTimeout(() => w.wake(undefined), waitMs);
      set.add(w);
    });
  };

  return {
    handsArrivals: o.handsArrivals,
    until(db, campaignId, identityId, waitMs) {
      if (waitMs <= 0 || waiting >= MAX_WAITERS) return Promise.resolve(undefined);
      const seen = recalled(campaignId, identityId);
      if (seen.shuffled) return Promise.resolve(seen.place);
      let waiters = sales.get(campaignId);
      if (!waiters) {
        waiters = new Set();
        sales.set(campaignId, waiters);
        watch(db, campaignId, waiters);
      }
      return hold(waiters, identityId, waitMs);
    },
    opened(campaignId, places) {
      remember(campaignId, places, true);
      const waiters = sales.get(campaignId);
      if (!waiters) return;
      sales.delete(campaignId);
      // in the queue's order, the first in line first (a place the pass did not rank reads its own, last)
      // each place looked up once, not twice in every comparison of the sort: all of this is one turn of the loop
      const ranked = [...waiters].map((w) => ({ w, place: places.get(w.identityId) }));
      ranked.sort(
        (a, b) => (a.place?.rank ?? Number.POSITIVE_INFINITY) - (b.place?.rank ?? Number.POSITIVE_INFINITY),
      );
      // All in one turn of the event loop: told 250 a turn, an opening's 3,900 took up to 4 s to tell when the rush
      // made each turn hundreds of milliseconds long, and those last told bought last.
      for (const { w, place } of ranked) w.wake(place);
    },
    untilRanked(campaignId, identityId, waitMs) {
      if (!o.handsArrivals || waitMs <= 0 || waiting >= MAX_WAITERS) return Promise.resolve(undefined);
      const { place } = recalled(campaignId, identityId);
      if (place) return Promise.resolve(place);
      let waiters = arrivals.get(campaignId);
      if (!waiters) {
        waiters = new Set();
        arrivals.set(campaignId, waiters);
      }
      return hold(waiters, identityId, waitMs);
    },
    ranked(campaignId, places) {
      if (places.size === 0) return; // most passes of a sale rank nobody: nothing to remember, nobody to answer
      remember(campaignId, places, false);
      const waiters = arrivals.get(campaignId);
      if (!waiters) return;
      // a waiter this pass did not rank (it joined after the pass read the queue) waits on for the next
      for (const w of [...waiters]) {
        const place = places.get(w.identityId);
        if (place) w.wake(place);
      }
      if (waiters.size === 0) arrivals.delete(campaignId);
    },
  };
}
