// What simulated residents do, through the real API: in an instant sale, join the queue at their arrival,
// poll their place, buy at their turn and pay; in a lottery, apply at some moment of the window, read the
// result after the draw and, if they won, pay. Every loop is bounded by the simulation's deadline.
import { randomUUID } from 'node:crypto';
import type { Reply } from './client.js';
import { UNIT } from './service.js';

type Call = (
  method: 'GET' | 'POST',
  path: string,
  what: string,
  o?: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> },
) => Promise<Reply>;

export interface Outcome {
  /** the last thing that happened to this resident */
  end: string;
  /** when their purchase or application was accepted (ms since start), if it was: as the service answered it */
  acceptedAt?: number;
  /** instant: when the resident had that answer, after their network's added latency on the way back */
  seenAt?: number;
}

/** As the queue page asks: a look before the opening is held until the shuffle, and answered with the turn. */
const WAIT = { prefer: 'wait=25' };

/** How long a buyer spends on the checkout page before paying (the hold lasts minutes). */
export const CHECKOUT_MS = { min: 3000, max: 10_000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

/** The development checkout: press "pay", follow the provider back to the service; whether it went through. */
async function pay(call: Call, checkoutUrl: string): Promise<boolean> {
  const chosen = await call('POST', pathOf(checkoutUrl), 'checkout', { form: { choice: 'pay' } });
  if (!chosen.location) return false;
  const back = await call('GET', pathOf(chosen.location), 'return');
  return /[?&]pay=(paid|issued)\b/.test(back.location ?? '');
}

/** When a resident of an instant sale arrives: 40 % in the 15 s before the opening, the rest within seconds after it. */
export function instantArrival(opensAt: number): number {
  return Math.random() < 0.4
    ? opensAt - Math.random() * 15_000
    : opensAt + Math.min(20_000, -3000 * Math.log(1 - Math.random()));
}

export async function instantResident(
  call: Call,
  sale: { id: string },
  arriveAt: number,
  deadline: number,
  now: () => number,
): Promise<Outcome> {
  await sleep(arriveAt - Date.now());
  const base = `/api/campaigns/${sale.id}`;
  let joined: Reply;
  for (let tries = 0; ; tries++) {
    joined = await call('POST', `${base}/queue`, 'join', { headers: WAIT });
    if (joined.status === 200) break;
    if (tries > 5 || Date.now() > deadline)
      return { end: joined.json?.error?.code ?? `join_${joined.status}` };
    await sleep(1000);
  }
  const key = `sim-${randomUUID()}`;
  let refusals = 0;
  // The join's answer is the first look at one's place; after that, look again when the service says to.
  let q = joined.json?.queue;
  while (Date.now() < deadline) {
    if (q?.state === 'purchased') return { end: 'purchased' };
    if (q?.state === 'turn_used') return { end: 'turn_used' };
    if (q?.state === 'your_turn') {
      const r = await call('POST', `${base}/purchases`, 'buy', {
        json: { quantity: UNIT },
        headers: { 'idempotency-key': key, 'x-admission-token': q.admission_token },
      });
      if (r.status === 201 || r.status === 200) {
        const seenAt = now();
        // A person fills in the provider's checkout first: seconds, not the moment the stock is held (paying at
        // once put every buyer's payment, webhook and voucher issue in the sell-out, which no real rush does).
        await sleep(CHECKOUT_MS.min + Math.random() * (CHECKOUT_MS.max - CHECKOUT_MS.min));
        await pay(call, r.json.purchase.order.checkout_url);
        return { end: 'purchased', acceptedAt: r.at, seenAt };
      }
      if (r.json?.error?.code !== 'sold_out') return { end: r.json?.error?.code ?? `buy_${r.status}` };
    }
    // Sold out is said only for good (nothing left, nothing held). A place held back (all that is left is with
    // those ahead) keeps looking as the queue page does: it is next in line for what comes back.
    if (q?.state === 'sold_out') return { end: 'sold_out' };
    if (q?.state === 'closed' || q?.state === 'cancelled') return { end: q.state };
    // Someone took the last unit just before this buy: look again a few times for what comes back, then leave.
    if (q?.state === 'your_turn' && ++refusals >= 4) return { end: 'left_after_refusals' };
    // When the service says (Retry-After's milliseconds), as the queue page does; a second if it does not.
    await sleep(q?.poll_after_ms ?? (q?.state === 'your_turn' ? 2000 : 1000));
    q = (await call('GET', `${base}/queue`, 'poll', { headers: WAIT })).json?.queue;
  }
  return { end: 'gave_up' };
}

export async function lotteryResident(
  call: Call,
  sale: { id: string; closesAt: number },
  arriveAt: number,
  deadline: number,
): Promise<Outcome> {
  await sleep(arriveAt - Date.now());
  const base = `/api/campaigns/${sale.id}`;
  const applied = await call('POST', `${base}/application`, 'apply', { json: { amount: UNIT } });
  if (applied.status !== 201 && applied.status !== 200)
    return { end: applied.json?.error?.code ?? `apply_${applied.status}` };
  const appliedAt = applied.at;
  await sleep(sale.closesAt + 3000 - Date.now() + Math.random() * 3000);
  while (Date.now() < deadline) {
    const read = (await call('GET', `${base}/application`, 'result')).json;
    const result = read?.result;
    if (result?.kind === 'won') {
      // A declined card is tried again, as a person would: a new order each time, up to three in all.
      for (let attempt = 1; ; attempt++) {
        const r = await call('POST', `${base}/award/orders`, 'order', {
          json: {},
          headers: { 'idempotency-key': `sim-${randomUUID()}` },
        });
        if (!r.json?.order?.checkout_url) return { end: r.json?.error?.code ?? `order_${r.status}` };
        if (await pay(call, r.json.order.checkout_url)) return { end: 'paid', acceptedAt: appliedAt };
        if (attempt === 3) return { end: 'payment_failed', acceptedAt: appliedAt };
      }
    }
    if (result) return { end: result.kind };
    // Before the draw, when the service says (poll_after_ms, also Retry-After), as the API asks; 2 s if not.
    await sleep(read?.poll_after_ms ?? 2000);
  }
  return { end: 'no_result' };
}
