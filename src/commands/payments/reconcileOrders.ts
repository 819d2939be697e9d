// The payment reconciler (a step of the every-second reconciler): orders left open (the browser closed, the
// webhook lost, the provider slow) are looked up again with a backoff and settled; past their hold they
// expire. Orders closed without money are asked about for a day more: money that arrives late is refunded.
// Paid orders whose issue job lost its worker, and refunds not done, are finished here too.
import { appendAudit } from '../../audit/log.js';
import { lockDueOrders, moveOrder, type OrderRow, stuckOrders, updateOrder } from '../../db/repos/orders.js';
import { DomainError } from '../../domain/errors.js';
import { nextCheckDelayMs, OPEN_STATES } from '../../domain/payments/order.js';
import type { VoucherIssuer } from '../../payments/issuer.js';
import { ProviderUnavailable } from '../../payments/provider.js';
import type { PaymentContext } from './context.js';
import { throwFailures } from './failures.js';
import { issueOrders } from './issueVouchers.js';
import { refundOrder } from './refundOrder.js';
import { settleOrder } from './settleOrder.js';

export interface ReconcileResult {
  checked: number;
  settled: number;
  expired: number;
  unanswered: number;
  /** lookups PortOne refused for the service's own credentials: the operator's to fix, logged loudly */
  misconfigured: number;
  finished: number;
}

/** Closed unpaid orders are still asked about this long, so a payment completed after we gave up is found. */
export const LATE_WINDOW_MS = 24 * 3600_000;

const CLOSED_CHECK_MS = 10 * 60_000;

/** A paid order not issued (or a refund not done) this long after is taken over by the reconciler. */
export const STUCK_AFTER_MS = 2 * 60_000;

export async function reconcileOrders(
  ctx: PaymentContext & { issuer: VoucherIssuer },
  limit = 50,
): Promise<ReconcileResult> {
  const now = ctx.clock.now();
  const r: ReconcileResult = {
    checked: 0,
    settled: 0,
    expired: 0,
    unanswered: 0,
    misconfigured: 0,
    finished: 0,
  };
  // Claim the due orders by pushing their next check forward first, so a slow provider never holds a lock.
  const due = await ctx.db.transaction(async (trx) => {
    const rows = await lockDueOrders(trx, now, LATE_WINDOW_MS, limit);
    for (const o of rows) {
      await updateOrder(trx, o.id, {
        checks: o.checks + 1,
        // A closed order only waits for a late payment: every ten minutes is enough.
        next_check_at: new Date(
          now.getTime() + (OPEN_STATES.includes(o.state) ? nextCheckDelayMs(o.checks + 1) : CLOSED_CHECK_MS),
        ),
      });
    }
    return rows;
  });
  for (const o of due) {
    r.checked++;
    let after: OrderRow = o;
    try {
      after = await settleOrder(ctx, o.id, await ctx.provider.lookup(o.payment_id), 'reconciler');
      if (after.state !== o.state) r.settled++;
    } catch (err) {
      // A refused API secret refuses every order alike: count it and ask about the rest, as for silence.
      if (err instanceof DomainError && err.code === 'provider_misconfigured') r.misconfigured++;
      else if (err instanceof ProviderUnavailable) r.unanswered++;
      else throw err;
      continue; // never expire an order the provider could not speak for: the money may be on its way
    }
    if ((after.state === 'created' || after.state === 'pending') && after.expires_at <= now) {
      if (await expireOrder(ctx, after, now)) r.expired++;
    }
  }
  await finishStuck(ctx, now, limit, r);
  return r;
}

/**
 * Paid orders stuck unissued, issued together, and refunds not done, each on its own: one that fails (a wallet
 * refusal, a provider down) holds back none of the others, and is thrown once they are done.
 */
async function finishStuck(
  ctx: PaymentContext & { issuer: VoucherIssuer },
  now: Date,
  limit: number,
  r: ReconcileResult,
): Promise<void> {
  const stuck = await stuckOrders(ctx.db, now, STUCK_AFTER_MS, limit);
  const failures: unknown[] = [];
  const issuing = stuck.filter((o) => !o.refund_requested_at).map((o) => o.id);
  try {
    await issueOrders(ctx, ctx.issuer, issuing);
    r.finished += issuing.length;
  } catch (err) {
    failures.push(err); // the rest of them are issued; the failed ones are taken over again next pass
  }
  for (const o of stuck.filter((x) => x.refund_requested_at)) {
    try {
      await refundOrder(ctx, o.id);
      r.finished++;
    } catch (err) {
      failures.push(err);
    }
  }
  throwFailures(failures, 'stuck orders not finished');
}

async function expireOrder(ctx: PaymentContext, o: OrderRow, now: Date): Promise<boolean> {
  return ctx.db.transaction(async (trx) => {
    const moved = await moveOrder(trx, o.id, o.state, 'expired', { expired_at: now, updated_at: now });
    if (!moved) return false;
    await appendAudit(trx, {
      at: now,
      actor: 'system:payments-reconciler',
      action: 'order.expired',
      subject: `campaign:${o.campaign_id}`,
      data: { order_id: o.id, public_id: o.subject, held_until: o.expires_at.toISOString() },
    });
    return true;
  });
}
