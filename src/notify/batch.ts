// Many concurrent callers, one statement: calls made while earlier batches are in flight are gathered and
// run together. Under load the batches grow by themselves; alone, a call runs at once (no timer to wait).
// A batch that fails is run again item by item, so one bad row fails only its own caller.

export interface Batcher<I, O> {
  run(item: I): Promise<O>;
}

export function createBatcher<I, O>(
  runMany: (items: I[]) => Promise<O[]>,
  opts: { maxBatch: number; maxInFlight: number },
): Batcher<I, O> {
  type Waiter = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };
  let pending: Waiter[] = [];
  let inFlight = 0;
  let scheduled = false;

  const settle = async (batch: Waiter[]) => {
    try {
      const out = await runMany(batch.map((w) => w.item));
      for (const [i, w] of batch.entries()) w.resolve(out[i] as O);
    } catch (err) {
      if (batch.length === 1) (batch[0] as Waiter).reject(err);
      else
        await Promise.all(
          batch.map((w) =>
            runMany([w.item]).then(
              (o) => w.resolve(o[0] as O),
              (e) => w.reject(e),
            ),
          ),
        );
    }
  };

  const pump = () => {
    scheduled = false;
    while (pending.length > 0 && inFlight < opts.maxInFlight) {
      const batch = pending.slice(0, opts.maxBatch);
      pending = pending.slice(batch.length);
      inFlight++;
      void settle(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return {
    run(item) {
      return new Promise<O>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        // setImmediate: the callers woken by the same I/O round join this batch
        if (!scheduled && inFlight < opts.maxInFlight) {
          scheduled = true;
          setImmediate(pump);
        }
      });
    },
  };
}
