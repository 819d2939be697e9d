// The provider's answer about a payment applied to its order, in one transaction: the same code runs for the
// browser's return, the webhook and the reconciler, so whichever comes first settles it and the others find
// nothing left to do. Paid and still honourable: the award is taken and the voucher issue job is enqueued.
// Paid but not honourable (expired award, closed order, wrong amount): the money is recorded and a refund job
// enqueued, so no paid order is ever left without vouchers or its money back.
import pLimit from 'p-limit';
import { appendAudit } from '../../audit/log.js';
import type { Trx } from '../../db/knex.js';
import { lockAward, markCollected } from '../../db/repos/awards.js';
import { moveDrawCounts } from '../../db/repos/drawCounts.js';
import { addOrderJob, lockOrder, moveOrder, type OrderRow, updateOrder } from '../../db/repos/orders.js';
import { inTransaction } from '../../db/transaction.js';
import { type ProviderView, settle } from '../../domain/payments/order.js';
import { heldOf } from '../awardNotices.js';
import { ISSUE_TASK, type PaymentContext, REFUND_TASK } from './context.js';

export type SettleSource = 'return' | 'webhook' | 'reconciler';

const audit = (trx: Trx, o: OrderRow, at: Date, source: SettleSource, action: string, data = {}) =>
  appendAudit(trx, {
    at,
    actor: `system:payments-${source}`,
    action,
    subject: `campaign:${o.campaign_id}`,
    data: { order_id: o.id, public_id: o.subject, ...data },
  });

/** Whether the award behind a voucher order can still be honoured; if so it is taken (collected) now. */
async function takeAward(trx: Trx, o: OrderRow, now: Date): Promise<boolean> {
  if (o.purpose !== 'voucher_award') return true;
  const a = await lockAward(trx, o.campaign_id, o.subject);
  if (!a || (a.status !== 'won' && a.status !== 'promoted')) return false;
  if (a.claim_deadline && a.claim_deadline <= now) return false;
  if (heldOf(a).amount < o.face_value) return false;
  const bought = await markCollected(trx, o.campaign_id, o.subject, {
    site: heldOf(a).site,
    by: `order:${o.id}`,
    at: now,
    via: 'payment',
    ref: o.id,
  });
  if (!bought) return false;
  await moveDrawCounts(trx, o.campaign_id, [{ public_id: o.subject, from: a.status, to: 'collected' }]);
  return true;
}

async function requestRefund(trx: Trx, o: OrderRow, now: Date, source: SettleSource, reason: string) {
  const row = await updateOrder(trx, o.id, {
    refund_requested_at: now,
    refund_reason: reason,
    updated_at: now,
  });
  await audit(trx, o, now, source, 'order.refund_requested', { reason, amount: row?.paid_amount });
  await addOrderJob(trx, REFUND_TASK, o.id);
}

/**
 * Payment transactions that append to the audit chain, at once per process (settlements here, the webhook's
 * receipt in confirmPayment.ts). The chain's one lock is held until commit, its flush included, so it admits
 * about one such transaction a flush whatever the number waiting; more at once only queue on the lock holding
 * pool connections (and order rows) that an instant sale's buyers need. Sampled during a simulated opening, the
 * sessions waiting on audit_append outnumbered every other wait four to one.
 */
export const paymentAuditSlot = pLimit(2);

export async function settleOrder(
  ctx: PaymentContext,
  orderId: string,
  view: ProviderView,
  source: SettleSource,
): Promise<OrderRow> {
  return paymentAuditSlot(() => settleInTransaction(ctx, orderId, view, source));
}

function settleInTransaction(
  ctx: PaymentContext,
  orderId: string,
  view: ProviderView,
  source: SettleSource,
): Promise<OrderRow> {
  return inTransaction(ctx.db, async (trx) => {
    const now = ctx.clock.now();
    const o = await lockOrder(trx, orderId);
    if (!o) throw new Error(`no order ${orderId}`);
    const s = settle(o, view);
    const tx = view.transactionId ?? null;
    switch (s.kind) {
      case 'none':
        return o;
      case 'paid': {
        const paid = (await moveOrder(trx, o.id, o.state, 'paid', {
          paid_amount: view.amount,
          paid_at: now,
          provider_tx_id: tx,
          updated_at: now,
        }))!;
        if (paid.purpose !== 'voucher_award') {
          // No award to take: the issue job first and the audit entry last, so the audit chain's one lock is held
          // only until commit (held across the rest, it queued every payment of an instant sale's opening).
          await addOrderJob(trx, ISSUE_TASK, o.id);
          await audit(trx, o, now, source, 'order.paid', { amount: view.amount, provider_tx_id: tx });
          return paid;
        }
        // An award's rows are taken after the audit entry: every path takes the chain's lock before count rows.
        await audit(trx, o, now, source, 'order.paid', { amount: view.amount, provider_tx_id: tx });
        if (await takeAward(trx, paid, now)) await addOrderJob(trx, ISSUE_TASK, o.id);
        else await requestRefund(trx, paid, now, source, 'award_not_honoured');
        return (await lockOrder(trx, o.id))!;
      }
      case 'close': {
        const closed = (await moveOrder(trx, o.id, o.state, s.to, {
          [s.to === 'failed' ? 'failed_at' : 'cancelled_at']: now,
          failure_code: s.code,
          failure_message: s.message.slice(0, 500),
          updated_at: now,
        }))!;
        await audit(trx, o, now, source, `order.${s.to}`, { code: s.code });
        return closed;
      }
      case 'refund': {
        const set = { paid_amount: view.amount, provider_tx_id: tx, updated_at: now };
        const row = s.close
          ? await moveOrder(trx, o.id, o.state, s.close, { ...set, failed_at: now, failure_code: s.reason })
          : await updateOrder(trx, o.id, set);
        if (s.close) await audit(trx, o, now, source, `order.${s.close}`, { code: s.reason });
        await requestRefund(trx, row!, now, source, s.reason);
        return (await lockOrder(trx, o.id))!;
      }
    }
  });
}
