// Giving money back (a graphile-worker job, also taken over by the reconciler when stuck): the provider is
// asked to cancel the whole payment (an already cancelled one counts as done), then the order is marked
// refunded, audited, and the resident told. Nothing is marked before the provider has said yes.
import { appendAudit } from '../../audit/log.js';
import { findCampaign } from '../../db/repos/campaigns.js';
import { findOrder, lockOrder, moveOrder, orderRecipient, updateOrder } from '../../db/repos/orders.js';
import { canMove } from '../../domain/payments/order.js';
import { prizeText, sendAwardNotice } from '../awardNotices.js';
import { residentPageUrl } from '../residentLinks.js';
import type { PaymentContext } from './context.js';
import type { VoucherCampaign } from './rules.js';

const REASONS: Record<string, { ko: string; en: string }> = {
  award_not_honoured: {
    ko: '결제가 확인되기 전에 구매 기한이 지나 당첨이 유지되지 않았습니다',
    en: 'the time to pay had passed before the payment was confirmed',
  },
  late_payment: {
    ko: '주문이 만료되거나 취소된 뒤에 결제되었습니다',
    en: 'the payment arrived after the order had expired or been cancelled',
  },
  amount_mismatch: {
    ko: '결제 금액이 주문 금액과 달랐습니다',
    en: 'the amount paid did not match the order',
  },
};

export async function refundOrder(
  ctx: PaymentContext,
  orderId: string,
): Promise<'refunded' | 'nothing_to_do'> {
  const order = await findOrder(ctx.db, orderId);
  if (!order?.refund_requested_at || order.refunded_at || order.paid_amount === null) return 'nothing_to_do';
  await ctx.provider.refund(order.payment_id, order.paid_amount, order.refund_reason ?? 'refund');
  return ctx.db.transaction(async (trx) => {
    const now = ctx.clock.now();
    const o = await lockOrder(trx, orderId);
    if (!o || o.refunded_at) return 'nothing_to_do';
    const set = { refunded_at: now, refunded_amount: o.paid_amount, updated_at: now };
    if (canMove(o.state, 'refunded')) await moveOrder(trx, o.id, o.state, 'refunded', set);
    else await updateOrder(trx, o.id, set);
    await appendAudit(trx, {
      at: now,
      actor: 'system:payments-refund',
      action: 'order.refunded',
      subject: `campaign:${o.campaign_id}`,
      data: { order_id: o.id, public_id: o.subject, amount: o.paid_amount, reason: o.refund_reason },
    });
    const c = (await findCampaign(trx, o.campaign_id)) as VoucherCampaign;
    const who = await orderRecipient(trx, o.campaign_id, o.subject);
    if (who) {
      const lang = who.lang === 'en' ? 'en' : 'ko';
      const reason = REASONS[o.refund_reason ?? ''] ?? {
        ko: '주문을 이행할 수 없습니다',
        en: 'the order cannot be honoured',
      };
      await sendAwardNotice(
        ctx,
        trx,
        c,
        who,
        'payment_refunded',
        {
          amount: prizeText(c, o.paid_amount!, lang),
          reason: reason[lang],
          url: residentPageUrl(ctx.publicUrl, c.id, who.page, lang),
        },
        `refund:${o.id}`,
      );
    }
    return 'refunded';
  });
}
