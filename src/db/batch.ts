// Group commit in the service: calls that arrive while earlier ones are still at the database are sent together
// as one statement (one round trip, one commit), so per-call protocol work and commit flushes shrink as load grows;
// a lone call goes at once as itself. Each caller still gets its own answer: when a batch fails as a whole (a
// constraint one of them broke, a deadlock between batches), every call in it is run again alone; but not when it
// got no connection in time (an overload: a hundred calls alone would each wait for one again).
// Not DataLoader: it sends each tick's batch at once, where here calls wait while `lanes` batches are at the
// database, which is what lets a batch grow with the load instead of taking more pool connections.

import { isPoolTimeout } from './knex.js';

export interface BatchSettings<I, O> {
  /** one call alone: the same statement a caller would send without batching */
  one: (item: I) => Promise<O>;
  /** many calls as one statement, answers in the same order; atomic, so a failure leaves nothing written */
  many: (items: I[]) => Promise<O[]>;
  /** batches at the database at once (the rest wait and grow) */
  lanes: number;
  /** calls in one statement at most */
  maxBatch: number;
}

export type Batched<I, O> = (item: I) => Promise<O>;

interface Waiting<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (err: unknown) => void;
}

export function batched<I, O>(s: BatchSettings<I, O>): Batched<I, O> {
  let queue: Array<Waiting<I, O>> = [];
  let inFlight = 0;
  let scheduled = false;

  const settle = (w: Waiting<I, O>, p: Promise<O>) => p.then(w.resolve, w.reject);

  async function send(batch: Array<Waiting<I, O>>): Promise<void> {
    if (batch.length === 1) return settle(batch[0]!, s.one(batch[0]!.item));
    let answers: O[];
    try {
      answers = await s.many(batch.map((w) => w.item));
      if (answers.length !== batch.length) throw new Error('a batch answered for another number of calls');
    } catch (err) {
      if (isPoolTimeout(err)) {
        for (const w of batch) w.reject(err);
        return;
      }
      await Promise.all(batch.map((w) => settle(w, s.one(w.item))));
      return;
    }
    batch.forEach((w, i) => {
      w.resolve(answers[i]!);
    });
  }

  function flush(): void {
    scheduled = false;
    while (inFlight < s.lanes && queue.length > 0) {
      const batch = queue.length <= s.maxBatch ? queue : queue.slice(0, s.maxBatch);
      queue = queue.length <= s.maxBatch ? [] : queue.slice(s.maxBatch);
      inFlight++;
      void send(batch).finally(() => {
        inFlight--;
        flush();
      });
    }
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      // after this turn's other requests have had their say, so the ones that arrived together go together
      if (!scheduled && inFlight < s.lanes) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
