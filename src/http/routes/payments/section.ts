// The "buy your vouchers" section of the winner's page: the award's price, the pay button or the order in
// progress, what happened to the last order, and the issued vouchers. Built here, included by the page.
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { heldOf } from '../../../commands/awardNotices.js';
import { type VoucherCampaign, voucherUnitOf } from '../../../commands/payments/rules.js';
import { type VoucherShown, vouchersShown } from '../../../commands/payments/vouchersShown.js';
import { findAward } from '../../../db/repos/awards.js';
import { findCampaign } from '../../../db/repos/campaigns.js';
import { type OrderRow, ordersOfSubject, publicIdOfIdentity } from '../../../db/repos/orders.js';
import { paymentReported } from '../../../db/repos/paymentWebhooks.js';
import { discountPercent, priceOf } from '../../../domain/payments/order.js';
import type { Translate } from '../../../i18n/catalogue.js';
import type { AppDeps } from '../../deps.js';

export interface PurchaseSection {
  campaign_id: string;
  public_id: string;
  /** what the page says first */
  mode: 'buy' | 'in_progress' | 'issued' | 'closed' | 'not_yet' | 'unavailable';
  /** the section's heading (catalogue key), by where the purchase stands: to pay, paid with vouchers coming, issued */
  heading: 'pay.title' | 'pay.title_paid' | 'pay.title_issued';
  face_value: number;
  price: number;
  discount_pct: string;
  unit: number;
  deadline: Date | null;
  opens_at: Date;
  idempotency_key: string;
  live?: {
    id: string;
    state: string;
    checkout_url: string | null;
    face_value: number;
    amount: number;
    /**
     * an open order whose payment was reported and is being checked: a webhook said it was paid, or the checkout
     * sent the resident back without a failure and the provider did not answer (?pay=checking). Otherwise an open
     * order is not paid yet, and the page says so.
     */
    reported: boolean;
  };
  /** the latest closed or refunded order, to explain what happened */
  last?: {
    id: string;
    state: string;
    /** why the provider declined, in the reader's language; '' when it gave no words the reader can read */
    failure: string;
    refund_pending: boolean;
    paid_amount: number | null;
  };
  vouchers: VoucherShown[];
  /** a one-off message after a redirect (?pay=...) */
  flash: string;
}

/** The section for the signed-in resident, or undefined when they hold no voucher award to buy. */
export async function purchaseSection(
  ctx: Context,
  deps: AppDeps,
  campaignId: string,
  identityId: string,
): Promise<PurchaseSection | undefined> {
  const c = (await findCampaign(deps.db, campaignId)) as VoucherCampaign | undefined;
  if (c?.kind !== 'voucher') return undefined;
  const publicId = await publicIdOfIdentity(deps.db, c.id, identityId);
  if (!publicId) return undefined;
  const award = await findAward(deps.db, c.id, publicId);
  const orders = await ordersOfSubject(deps.db, c.id, publicId);
  if (!award || (award.outcome !== 'won' && award.status !== 'promoted' && orders.length === 0))
    return undefined;
  if (award.status === 'waitlisted') return undefined;
  const now = deps.clock.now();
  const face = heldOf(award).amount;
  const live = orders.find(
    (o) => ['created', 'pending', 'paid', 'issued'].includes(o.state) && !o.refund_requested_at,
  );
  const last = orders.find((o) => o !== live);
  const vouchers = await vouchersShown(deps.db, live, c.time_zone);
  const holdable = award.status === 'won' || award.status === 'promoted';
  const mode: PurchaseSection['mode'] =
    live?.state === 'issued'
      ? 'issued'
      : live
        ? 'in_progress'
        : !holdable || (award.claim_deadline && award.claim_deadline <= now)
          ? 'closed'
          : now < c.claim_opens_at
            ? 'not_yet'
            : deps.payments
              ? 'buy'
              : 'unavailable';
  const open = live && (live.state === 'created' || live.state === 'pending');
  const flash = typeof ctx.query.pay === 'string' ? ctx.query.pay : '';
  const reported = Boolean(
    open && (flash === 'checking' || (await paymentReported(deps.db, live.payment_id))),
  );
  const checkout =
    open && !reported && deps.payments
      ? deps.payments.provider.checkoutUrl({
          paymentId: live.payment_id,
          orderName: '',
          amount: live.amount,
          currency: 'KRW',
          returnUrl: '',
        })
      : null;
  return {
    campaign_id: c.id,
    public_id: publicId,
    mode,
    heading: mode === 'issued' ? 'pay.title_issued' : live?.state === 'paid' ? 'pay.title_paid' : 'pay.title',
    face_value: face,
    price: priceOf({ face_value: face, discount_bp: c.discount_bp }),
    discount_pct: discountPercent(c.discount_bp),
    unit: voucherUnitOf(c),
    deadline: award.claim_deadline,
    opens_at: c.claim_opens_at,
    idempotency_key: randomBytes(16).toString('base64url'),
    ...(live
      ? {
          live: {
            id: live.id,
            state: live.state,
            checkout_url: checkout,
            face_value: live.face_value,
            amount: live.amount,
            reported,
          },
        }
      : {}),
    ...(last
      ? {
          last: {
            id: last.id,
            state: last.state,
            failure: failureWords(ctx, last),
            refund_pending: Boolean(last.refund_requested_at && !last.refunded_at),
            paid_amount: last.paid_amount,
          },
        }
      : {}),
    vouchers,
    flash,
  };
}

/**
 * A decline's reason for the reader: the catalogue's words for a code it knows (pay.reasons), else the provider's
 * own words, which are Korean for a Korean card company: shown to a Korean reader, and to an English one only when
 * they hold no Korean ('' then: the page says the payment was not approved, without a reason).
 */
function failureWords(ctx: Context, o: Pick<OrderRow, 'failure_code' | 'failure_message'>): string {
  const t = ctx.state.t as Translate;
  const key = `pay.reasons.${o.failure_code}`;
  const known = o.failure_code ? t(key) : key;
  if (known !== key) return known;
  const words = o.failure_message || o.failure_code || '';
  return ctx.state.lang === 'en' && /[\u3131-\uD79D]/.test(words) ? '' : words;
}
