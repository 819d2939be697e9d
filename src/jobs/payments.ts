// The payment flow's background work: the graphile-worker tasks that issue vouchers (a job for the orders one
// settlement paid) and give money back (a job an order, with a key), each enqueued in the transaction that made
// it due, and the reconciler step that asks the provider about orders left open.
import { EventEmitter } from 'node:events';
import { type Runner, run, type Task } from 'graphile-worker';
import { ISSUE_TASK, type PaymentContext, REFUND_TASK } from '../commands/payments/context.js';
import { issueOrders } from '../commands/payments/issueVouchers.js';
import { reconcileOrders } from '../commands/payments/reconcileOrders.js';
import { refundOrder } from '../commands/payments/refundOrder.js';
import type { Logger } from '../logger.js';
import type { VoucherIssuer } from '../payments/issuer.js';
import { endingPool, jobQueuePool } from './jobQueuePool.js';
import { warningsAndErrorsTo } from './workerLogger.js';

export type PaymentJobContext = PaymentContext & { issuer: VoucherIssuer };

/** An issue job's orders: a settlement's batch, or one order (a job enqueued before batches, still queued). */
export function issueJobOrders(payload: unknown): string[] {
  const p = payload as { order_ids?: string[]; order_id?: string };
  return p.order_ids ?? (p.order_id ? [p.order_id] : []);
}

export function paymentTasks(ctx: PaymentJobContext, logger: Logger): Record<string, Task> {
  const orderIdOf = (payload: unknown) => (payload as { order_id: string }).order_id;
  return {
    [ISSUE_TASK]: async (payload) => {
      const orders = issueJobOrders(payload);
      const r = await issueOrders(ctx, ctx.issuer, orders);
      const issued = [...r.values()].filter((x) => x === 'issued').length;
      logger.info({ orders: orders.length, issued }, 'voucher issue');
    },
    [REFUND_TASK]: async (payload) => {
      const r = await refundOrder(ctx, orderIdOf(payload));
      logger.info({ order: orderIdOf(payload), result: r }, 'order refund');
    },
  };
}

/** The reconciler step: one pass over due orders (bounded), logged when it did anything. */
export function paymentReconcilerStep(ctx: PaymentJobContext, logger: Logger) {
  return {
    name: 'payments',
    run: async () => {
      const r = await reconcileOrders(ctx);
      if (r.misconfigured) {
        logger.error(r, "the payment provider refused this service's API secret: orders cannot be checked");
      }
      if (r.settled || r.expired || r.finished) logger.info(r, 'payments reconciled');
      return r;
    },
  };
}

export async function startPaymentsWorker(
  connectionString: string,
  ctx: PaymentJobContext,
  logger: Logger,
  events: EventEmitter = new EventEmitter(),
): Promise<Runner> {
  const pgPool = jobQueuePool(connectionString, 3, logger);
  const runner = await run({
    pgPool,
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: 2000,
    events,
    logger: warningsAndErrorsTo(logger),
    taskList: paymentTasks(ctx, logger),
  });
  return endingPool(runner, pgPool);
}
