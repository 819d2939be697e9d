// Issuing a paid order's vouchers (a graphile-worker job, also taken over by the reconciler when stuck). The
// wallet is asked with the order's own issue key, so a retry after a crash gets the same vouchers back; the
// set is recorded under a unique (order, sequence) and the order moves paid -> issued in one transaction.
// However often this runs, an order has one voucher set.
import { DateTime } from 'luxon';
import { appendAudit } from '../../audit/log.js';
import { findCampaign } from '../../db/repos/campaigns.js';
import { findOrder, lockOrder, moveOrder, orderRecipient } from '../../db/repos/orders.js';
import { insertVouchers } from '../../db/repos/vouchers.js';
import { voucherUnits } from '../../domain/payments/order.js';
import type { VoucherIssuer } from '../../payments/issuer.js';
import { prizeText, sendAwardNotice } from '../awardNotices.js';
import { residentPageUrl } from '../residentLinks.js';
import type { PaymentContext } from './context.js';
import { type VoucherCampaign, voucherUnitOf } from './rules.js';

export const issueKeyOf = (orderId: string) => `issue:${orderId}`;

export async function issueVouchers(
  ctx: Omit<PaymentContext, 'provider'>,
  issuer: VoucherIssuer,
  orderId: string,
): Promise<'issued' | 'nothing_to_do'> {
  const order = await findOrder(ctx.db, orderId);
  if (order?.state !== 'paid' || order.refund_requested_at) return 'nothing_to_do';
  const c = (await findCampaign(ctx.db, order.campaign_id)) as VoucherCampaign;
  // From the payment, not from now: a retry computes the same validity.
  const validUntil = DateTime.fromJSDate(order.paid_at!, { zone: c.time_zone })
    .plus({ days: c.voucher_valid_days })
    .endOf('day')
    .toJSDate();
  const issued = await issuer.issue({
    key: issueKeyOf(order.id),
    campaignId: c.id,
    units: voucherUnits(order.face_value, voucherUnitOf(c)),
    validUntil,
  });
  return ctx.db.transaction(async (trx) => {
    const now = ctx.clock.now();
    const o = await lockOrder(trx, orderId);
    if (o?.state !== 'paid') return 'nothing_to_do';
    await insertVouchers(
      trx,
      issued.map((v, i) => ({
        number: v.number,
        order_id: o.id,
        seq: i + 1,
        campaign_id: o.campaign_id,
        face_value: v.face_value,
        valid_until: validUntil,
        issuer: issuer.name,
        issued_at: now,
      })),
    );
    await moveOrder(trx, o.id, 'paid', 'issued', { issued_at: now, updated_at: now });
    const who = await orderRecipient(trx, o.campaign_id, o.subject);
    if (who) {
      const lang = who.lang === 'en' ? 'en' : 'ko';
      await sendAwardNotice(
        ctx,
        trx,
        c,
        who,
        'vouchers_issued',
        {
          count: issued.length,
          face_total: prizeText(c, o.face_value, lang),
          numbers: issued.map((v) => v.number).join(', '),
          valid_until: DateTime.fromJSDate(validUntil, { zone: c.time_zone }).toFormat('yyyy-MM-dd'),
          url: residentPageUrl(ctx.publicUrl, c.id, who.page, lang),
        },
        `vouchers:${o.id}`,
      );
    }
    // The audit entry last: the chain's one lock is then held only until commit.
    await appendAudit(trx, {
      at: now,
      actor: 'system:payments-issuer',
      action: 'order.issued',
      subject: `campaign:${o.campaign_id}`,
      data: { order_id: o.id, public_id: o.subject, vouchers: issued.length, face_value: o.face_value },
    });
    return 'issued';
  });
}
