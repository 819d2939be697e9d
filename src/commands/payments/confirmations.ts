// Confirmations of one order at the same time share one ask: the browser's return and the provider's webhook
// usually arrive together, and each asked the provider and queued a settlement for the same payment (after an
// instant sell-out, twice the lookups and settlements the payments needed). The second waits for the first's
// answer instead. One process's; made by the composition root.

export type Confirmations = <T>(orderId: string, run: () => Promise<T>) => Promise<T>;

export function sharedConfirmations(): Confirmations {
  const inFlight = new Map<string, Promise<unknown>>();
  return <T>(orderId: string, run: () => Promise<T>) => {
    const running = inFlight.get(orderId);
    if (running) return running as Promise<T>;
    const p = run().finally(() => inFlight.delete(orderId));
    inFlight.set(orderId, p);
    return p;
  };
}
