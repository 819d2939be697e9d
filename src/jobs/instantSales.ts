// The instant sales' waiting rooms move with the reconciler's per-second pass: shuffle at opening, admit at
// the set rate, settle holds. Cheap when there is no instant sale (one indexed read).
import type { InstantContext } from '../commands/instant/context.js';
import { runInstantSales } from '../commands/instant/runSales.js';

export function instantSalesStep(ctx: InstantContext) {
  return { name: 'instant-sales', run: () => runInstantSales(ctx) };
}
