// The development payment provider: its own ledger (dev_payments) and checkout page (/dev/checkout/:paymentId),
// signed webhooks in PortOne's shape, and faults to inject: latency on every API call, a decline rate, webhooks
// delayed, sent twice or lost. `npm start` uses it when no PortOne credentials are set.
import { randomUUID } from 'node:crypto';
import * as Webhook from '@portone/server-sdk/webhook';
import { batched } from '../db/batch.js';
import type { Db } from '../db/knex.js';
import type { ProviderView } from '../domain/payments/order.js';
import { postWebhook } from './postWebhook.js';
import {
  type CheckoutRequest,
  type PaymentProvider,
  ProviderUnavailable,
  type WebhookNotice,
  WebhookRejected,
  withDeadline,
} from './provider.js';
import { signWebhook } from './webhookSignature.js';

export interface DevPaymentFaults {
  /** added before every API answer (lookup, prepare, refund); past timeoutMs it is a timeout */
  latencyMs: number;
  /** share of payments the checkout declines (0..1) */
  failureRate: number;
  /** share of webhooks sent twice (0..1) */
  duplicateRate: number;
  /** share of webhooks never sent (0..1): only the reconciler will find those payments */
  dropRate: number;
  /** delay before a webhook leaves */
  webhookDelayMs: number;
}

export interface DevPaymentOptions {
  db: Db;
  publicUrl: string;
  webhookSecret: Uint8Array;
  timeoutMs: number;
  faults: DevPaymentFaults;
  random: () => number;
}

export interface DevCheckoutPayment {
  payment_id: string;
  order_name: string;
  amount: number;
  status: 'READY' | 'PAID' | 'FAILED' | 'CANCELLED';
  failure: string | null;
  return_url: string;
}

export type DevChoice = 'pay' | 'decline' | 'cancel';

export interface DevPaymentProvider extends PaymentProvider {
  checkout: {
    find(paymentId: string): Promise<DevCheckoutPayment | undefined>;
    /** The payer's choice at the checkout; returns where the browser goes next. */
    complete(paymentId: string, choice: DevChoice): Promise<string>;
  };
  /** webhooks still waiting for their delay (tests wait for them) */
  settled(): Promise<void>;
}

const ledgerRow = (req: CheckoutRequest) => ({
  payment_id: req.paymentId,
  order_name: req.orderName,
  amount: req.amount,
  transaction_id: `tx-${req.paymentId}`,
  return_url: req.returnUrl,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function devPaymentProvider(o: DevPaymentOptions): DevPaymentProvider {
  const inFlight = new Set<Promise<void>>();
  const api = <T>(what: string, run: () => Promise<T>) =>
    withDeadline(o.timeoutMs, what, async () => {
      if (o.faults.latencyMs > 0) await sleep(o.faults.latencyMs);
      return run();
    });
  const find = async (paymentId: string) => {
    const row = await o.db('dev_payments').where({ payment_id: paymentId }).first();
    return row ? ({ ...row, amount: Number(row.amount) } as DevCheckoutPayment) : undefined;
  };

  // The provider's ledger row for a checkout: registrations that arrive together go as one insert and one
  // commit. It is the provider's side (PortOne's servers in production), but here it shares the service's
  // process and database, and one insert and commit a buyer was a third of a sale's opening's commits.
  const register = batched<CheckoutRequest, void>({
    one: async (req) => {
      await o.db('dev_payments').insert(ledgerRow(req)).onConflict('payment_id').ignore();
    },
    many: async (reqs) => {
      await o.db.raw(
        `INSERT INTO dev_payments (payment_id, order_name, amount, transaction_id, return_url)
         SELECT * FROM json_to_recordset(?::json)
           AS r(payment_id text, order_name text, amount bigint, transaction_id text, return_url text)
         ON CONFLICT (payment_id) DO NOTHING`,
        [JSON.stringify(reqs.map(ledgerRow))],
      );
      return reqs.map(() => undefined);
    },
    lanes: 2,
    maxBatch: 100,
  });

  async function sendWebhook(type: string, paymentId: string) {
    if (o.random() < o.faults.dropRate) return;
    const body = JSON.stringify({
      type,
      timestamp: new Date().toISOString(),
      data: { paymentId, storeId: 'store-dev', transactionId: `tx-${paymentId}` },
    });
    const id = `msg_${randomUUID()}`;
    const copies = o.random() < o.faults.duplicateRate ? 2 : 1;
    const url = `${o.publicUrl}/webhooks/payments/dev`;
    const job = (async () => {
      if (o.faults.webhookDelayMs > 0) await sleep(o.faults.webhookDelayMs);
      for (let i = 0; i < copies; i++) {
        const headers = signWebhook(o.webhookSecret, id, Math.floor(Date.now() / 1000), body);
        // A provider retries a failed delivery a few times; the reconciler covers what is still lost.
        for (let attempt = 0; attempt < 3; attempt++) {
          try {
            if ((await postWebhook(url, headers, body, 10_000)) < 500) break;
          } catch {
            // delivery failed; try again
          }
          await sleep(500 * (attempt + 1));
        }
      }
    })();
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
  }

  return {
    name: 'dev',
    async prepare(req: CheckoutRequest) {
      await api('prepare', () => register(req));
    },
    checkoutUrl(req) {
      return `${o.publicUrl}/dev/checkout/${encodeURIComponent(req.paymentId)}`;
    },
    async lookup(paymentId): Promise<ProviderView> {
      const p = await api('lookup', () => find(paymentId));
      if (!p) return { status: 'unknown', paymentId, amount: 0, currency: '' };
      const status = ({ READY: 'ready', PAID: 'paid', FAILED: 'failed', CANCELLED: 'cancelled' } as const)[
        p.status
      ];
      return {
        status,
        paymentId,
        amount: p.amount,
        currency: 'KRW',
        transactionId: `tx-${paymentId}`,
        ...(p.status === 'FAILED' ? { failure: { code: 'DEV_DECLINED', message: p.failure ?? '' } } : {}),
      };
    },
    async refund(paymentId) {
      const done = await api('refund', () =>
        o
          .db('dev_payments')
          .where({ payment_id: paymentId, status: 'PAID' })
          .update({
            status: 'CANCELLED',
            failure: 'refunded',
            cancelled_amount: o.db.raw('amount'),
            cancelled_at: new Date(),
          }),
      );
      if (done === 0) {
        const p = await find(paymentId);
        if (!p || (p.status !== 'CANCELLED' && p.status !== 'PAID')) {
          throw new ProviderUnavailable(`refund: payment ${paymentId} is ${p?.status ?? 'unknown'}`);
        }
      } else {
        await sendWebhook('Transaction.Cancelled', paymentId);
      }
    },
    async verifyWebhook(rawBody, headers): Promise<WebhookNotice> {
      let body: { type?: unknown; data?: { paymentId?: unknown } };
      try {
        body = (await Webhook.verify(o.webhookSecret, rawBody, headers)) as typeof body;
      } catch (err) {
        throw new WebhookRejected(
          err instanceof Webhook.WebhookVerificationError ? err.reason : 'unreadable',
        );
      }
      const id = headers['webhook-id'];
      return {
        webhookId: String(Array.isArray(id) ? id[0] : id),
        type: String(body.type),
        paymentId: typeof body.data?.paymentId === 'string' ? body.data.paymentId : undefined,
        body,
      };
    },
    checkout: {
      find,
      async complete(paymentId, choice) {
        const declined = choice === 'decline' || (choice === 'pay' && o.random() < o.faults.failureRate);
        const status = choice === 'cancel' ? 'CANCELLED' : declined ? 'FAILED' : 'PAID';
        const failure =
          status === 'FAILED'
            ? '카드사 승인 거절 (개발용 결제)' // as a Korean card company words it; pages translate DEV_DECLINED
            : null;
        // Only a payment still at its checkout moves, and the same statement answers with it (a read before and
        // after each payment were two of the provider's four statements a payment after an instant sell-out).
        const [moved] = (await o
          .db('dev_payments')
          .where({ payment_id: paymentId, status: 'READY' })
          .update(
            {
              status,
              failure,
              ...(status === 'PAID' ? { paid_at: new Date() } : { cancelled_at: new Date() }),
            },
            ['status', 'return_url'],
          )) as Array<Pick<DevCheckoutPayment, 'status' | 'return_url'>>;
        if (moved) {
          const type = {
            PAID: 'Transaction.Paid',
            FAILED: 'Transaction.Failed',
            CANCELLED: 'Transaction.Cancelled',
          };
          await sendWebhook(type[status], paymentId);
        }
        const after = moved ?? (await find(paymentId));
        if (!after) throw new Error(`no dev payment ${paymentId}`);
        const url = new URL(after.return_url);
        url.searchParams.set('paymentId', paymentId);
        if (after.status === 'FAILED') url.searchParams.set('code', 'DEV_DECLINED');
        if (after.status === 'CANCELLED') url.searchParams.set('code', 'USER_CANCELLED');
        return url.toString();
      },
    },
    async settled() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}
