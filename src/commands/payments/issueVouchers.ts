// Issuing paid orders' vouchers (a graphile-worker job for the orders one settlement moved to paid, also taken
// over by the reconciler when stuck). The wallet is asked with each order's own issue key, so a retry after a
// crash gets the same vouchers back; the sets are recorded under a unique (order, sequence) and the orders move
// paid -> issued in one transaction. However often this runs, an order has one voucher set.
// The orders of a batch share that transaction, one statement a step and one append to the audit chain: a job,
// a transaction and a turn on the chain's lock for every order made the job queue most of the database's work
// while a sale's buyers paid (pg_stat_statements after an instant sell-out: 4,000 jobs, ~1.8 ms each).
import { DateTime } from 'luxon';
import pLimit from 'p-limit';
import { type AuditInput, appendAuditBatch } from '../../audit/log.js';
import type { Trx } from '../../db/knex.js';
import { findCampaigns } from '../../db/repos/campaigns.js';
import {
  findOrders,
  lockOrders,
  moveOrdersIssued,
  type OrderRow,
  orderRecipients,
} from '../../db/repos/orders.js';
import { insertVouchers, type VoucherRow } from '../../db/repos/vouchers.js';
import { validUntilDay, voucherUnits } from '../../domain/payments/order.js';
import type { IssuedVoucher, VoucherIssuer } from '../../payments/issuer.js';
import { prizeText, sendAwardNotice } from '../awardNotices.js';
import { residentPageUrl } from '../residentLinks.js';
import type { PaymentContext } from './context.js';
import { throwFailures } from './failures.js';
import { type VoucherCampaign, voucherUnitOf } from './rules.js';

export const issueKeyOf = (orderId: string) => `issue:${orderId}`;

/** At most this many wallet calls of a batch at once: a real wallet is a remote service. */
const WALLET_CALLS = 8;

export type IssueResult = 'issued' | 'nothing_to_do';

interface Issued {
  order: OrderRow;
  campaign: VoucherCampaign;
  validUntil: Date;
  vouchers: IssuedVoucher[];
}

/** One paid order's vouchers; see issueOrders. */
export async function issueVouchers(
  ctx: Omit<PaymentContext, 'provider'>,
  issuer: VoucherIssuer,
  orderId: string,
): Promise<IssueResult> {
  return (await issueOrders(ctx, issuer, [orderId])).get(orderId) ?? 'nothing_to_do';
}

/**
 * These orders' vouchers, those still paid and not being refunded: what happened to each. An order the wallet
 * refuses, or whose set cannot be recorded, stays paid, to be issued by the job's retry (or the reconciler); its
 * error is thrown once the others are recorded.
 */
export async function issueOrders(
  ctx: Omit<PaymentContext, 'provider'>,
  issuer: VoucherIssuer,
  orderIds: readonly string[],
): Promise<Map<string, IssueResult>> {
  const results = new Map<string, IssueResult>(orderIds.map((id) => [id, 'nothing_to_do']));
  const due = (await findOrders(ctx.db, orderIds)).filter(
    (o) => o.state === 'paid' && !o.refund_requested_at,
  );
  if (due.length === 0) return results;
  const campaigns = new Map(
    (await findCampaigns(ctx.db, [...new Set(due.map((o) => o.campaign_id))])).map((c) => [
      c.id,
      c as VoucherCampaign,
    ]),
  );
  const wallet = pLimit(WALLET_CALLS);
  const asked = await Promise.allSettled(
    due.map((order) =>
      wallet(async (): Promise<Issued> => {
        const campaign = campaigns.get(order.campaign_id)!;
        // From the payment, not from now: a retry computes the same validity.
        const validUntil = DateTime.fromJSDate(order.paid_at!, { zone: campaign.time_zone })
          .plus({ days: campaign.voucher_valid_days })
          .endOf('day')
          .toJSDate();
        const vouchers = await issuer.issue({
          key: issueKeyOf(order.id),
          campaignId: campaign.id,
          units: voucherUnits(order.face_value, voucherUnitOf(campaign)),
          validUntil,
        });
        return { order, campaign, validUntil, vouchers };
      }),
    ),
  );
  const issued = asked.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
  const failed = asked.flatMap((a) => (a.status === 'rejected' ? [a.reason as unknown] : []));
  for (const id of await recordEach(ctx, issuer.name, issued, failed)) results.set(id, 'issued');
  throwFailures(failed, 'orders not issued');
  return results;
}

/**
 * The sets recorded together; when that fails, each in a transaction of its own, so one order that cannot be
 * recorded (its notice's contact unreadable, say) leaves only itself paid, its error added to `failed`.
 */
async function recordEach(
  ctx: Omit<PaymentContext, 'provider'>,
  issuerName: string,
  issued: readonly Issued[],
  failed: unknown[],
): Promise<string[]> {
  if (issued.length === 0) return [];
  try {
    return await recordIssued(ctx, issuerName, issued);
  } catch (err) {
    if (issued.length === 1) {
      failed.push(err);
      return [];
    }
  }
  const done: string[] = [];
  for (const one of issued) {
    try {
      done.push(...(await recordIssued(ctx, issuerName, [one])));
    } catch (err) {
      failed.push(err);
    }
  }
  return done;
}

/** The sets of the orders still paid once locked, in one transaction; the ids of those that moved to issued. */
async function recordIssued(
  ctx: Omit<PaymentContext, 'provider'>,
  issuerName: string,
  issued: readonly Issued[],
): Promise<string[]> {
  return ctx.db.transaction(async (trx) => {
    const now = ctx.clock.now();
    const locked = await lockOrders(
      trx,
      issued.map((i) => i.order.id),
    );
    const stillPaid = new Set(locked.filter((o) => o.state === 'paid').map((o) => o.id));
    const sets = issued.filter((i) => stillPaid.has(i.order.id));
    if (sets.length === 0) return [];
    await insertVouchers(
      trx,
      sets.flatMap(({ order, validUntil, vouchers }) =>
        vouchers.map(
          (v, i): VoucherRow => ({
            number: v.number,
            order_id: order.id,
            seq: i + 1,
            campaign_id: order.campaign_id,
            face_value: v.face_value,
            valid_until: validUntil,
            issuer: issuerName,
            issued_at: now,
          }),
        ),
      ),
    );
    const moved = new Set(
      await moveOrdersIssued(
        trx,
        sets.map((s) => s.order.id),
        now,
      ),
    );
    const done = sets.filter((s) => moved.has(s.order.id));
    await noticeIssued(ctx, trx, done);
    // The audit entries last, in one append: the chain's one lock is then held only until commit.
    await appendAuditBatch(
      trx,
      done.map(
        ({ order: o, vouchers }): AuditInput => ({
          at: now,
          actor: 'system:payments-issuer',
          action: 'order.issued',
          subject: `campaign:${o.campaign_id}`,
          data: { order_id: o.id, public_id: o.subject, vouchers: vouchers.length, face_value: o.face_value },
        }),
      ),
    );
    return done.map((s) => s.order.id);
  });
}

/** The buyer or winner of each order is told its voucher numbers, where they gave a contact. */
async function noticeIssued(
  ctx: Omit<PaymentContext, 'provider'>,
  trx: Trx,
  done: readonly Issued[],
): Promise<void> {
  const recipients = await orderRecipients(
    trx,
    done.map((d) => ({ campaign_id: d.order.campaign_id, public_id: d.order.subject })),
  );
  for (const { order: o, campaign: c, validUntil, vouchers } of done) {
    const who = recipients.get(`${o.campaign_id} ${o.subject}`);
    if (!who) continue;
    const lang = who.lang === 'en' ? 'en' : 'ko';
    await sendAwardNotice(
      ctx,
      trx,
      c,
      who,
      'vouchers_issued',
      {
        count: vouchers.length,
        face_total: prizeText(c, o.face_value, lang),
        numbers: vouchers.map((v) => v.number).join(', '),
        valid_until: validUntilDay(validUntil, c.time_zone),
        url: residentPageUrl(ctx.publicUrl, c.id, who.page, lang),
      },
      `vouchers:${o.id}`,
    );
  }
}
