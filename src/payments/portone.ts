// PortOne V2 (a Korean payment gateway aggregator) through @portone/server-sdk: pre-register the amount, send
// the browser to PortOne's checkout (its browser SDK, on our page), look payments up, cancel them, and verify
// webhooks (Standard Webhooks signatures, the SDK's verifier). baseUrl points the real client elsewhere in tests.
import * as Webhook from '@portone/server-sdk/webhook';
import type { ProviderView } from '../domain/payments/order.js';
import { portOneErrorType, refusedCredentials } from '../portone/errors.js';
import { type PortOneSdk, portOneSdk, preloadPortOneSdk } from '../portone/sdk.js';
import {
  type CheckoutRequest,
  type PaymentProvider,
  ProviderUnavailable,
  type WebhookNotice,
  WebhookRejected,
  withDeadline,
} from './provider.js';

export interface PortOneOptions {
  apiSecret: string;
  storeId: string;
  channelKey: string;
  webhookSecret: string;
  /** the API origin; https://api.portone.io unless a stand-in is used */
  baseUrl?: string | undefined;
  timeoutMs: number;
  /** this service's public origin: the checkout page lives here */
  publicUrl: string;
}

// The refusals PortOne declares for the calls made here (the SDK's PreRegisterPaymentError, GetPaymentError and
// CancelPaymentError): answers about this request; UNAUTHORIZED and FORBIDDEN answer about our secret instead
// (refusedCredentials). PG_PROVIDER (the card company did not answer), an error type it does not declare (its
// 500s answer INTERNAL) and an error without a type mean: ask again later.
const REFUSALS = new Set([
  'ALREADY_PAID',
  'INVALID_REQUEST',
  'PAYMENT_NOT_FOUND',
  'PAYMENT_ALREADY_CANCELLED',
  'PAYMENT_NOT_PAID',
  'CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN',
  'CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT',
  'CANCEL_TAX_AMOUNT_EXCEEDS_CANCELLABLE_TAX_AMOUNT',
  'CANCEL_TAX_FREE_AMOUNT_EXCEEDS_CANCELLABLE_TAX_FREE_AMOUNT',
  'NEGATIVE_PROMOTION_ADJUSTED_CANCEL_AMOUNT',
  'PROMOTION_DISCOUNT_RETAIN_OPTION_SHOULD_NOT_BE_CHANGED',
  'SUM_OF_PARTS_EXCEEDS_CANCEL_AMOUNT',
]);

const STATUS: Record<string, ProviderView['status']> = {
  READY: 'ready',
  PAY_PENDING: 'ready',
  VIRTUAL_ACCOUNT_ISSUED: 'ready',
  PAID: 'paid',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  PARTIAL_CANCELLED: 'paid',
};

type Client = ReturnType<PortOneSdk['PaymentClient']>;

export function portOneProvider(o: PortOneOptions): PaymentProvider {
  preloadPortOneSdk();
  let client: Client | undefined;
  const clientOf = (sdk: PortOneSdk) =>
    (client ??= sdk.PaymentClient({
      secret: o.apiSecret,
      storeId: o.storeId,
      ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
    }));
  const call = async <T>(what: string, run: (client: Client) => Promise<T>): Promise<T> => {
    const sdk = await portOneSdk();
    try {
      return await withDeadline(o.timeoutMs, what, () => run(clientOf(sdk)));
    } catch (err) {
      const misconfigured = refusedCredentials(sdk, err, what);
      if (misconfigured) throw misconfigured;
      // PortOne's own refusals are answers; anything else it says (or a 5xx) means: ask again later.
      const type = portOneErrorType(sdk, err);
      if (err instanceof sdk.PortOneError && !REFUSALS.has(type ?? ''))
        throw new ProviderUnavailable(`${what}: ${type ?? 'no error type'}: ${err.message}`);
      throw err;
    }
  };
  /** The refusal PortOne answered a call with; the SDK is loaded by then (call loads it first). */
  const refusalOf = async (err: unknown) => portOneErrorType(await portOneSdk(), err);
  return {
    name: 'portone',
    async prepare(req: CheckoutRequest) {
      try {
        await call('preRegisterPayment', (client) =>
          client.preRegisterPayment({
            paymentId: req.paymentId,
            totalAmount: req.amount,
            currency: req.currency,
          }),
        );
      } catch (err) {
        // Paid already (a replayed create): the amount that was paid stands.
        if ((await refusalOf(err)) !== 'ALREADY_PAID') throw err;
      }
    },
    checkoutUrl(req: CheckoutRequest) {
      return `${o.publicUrl}/payments/portone/checkout/${encodeURIComponent(req.paymentId)}`;
    },
    async lookup(paymentId: string): Promise<ProviderView> {
      try {
        const p = await call('getPayment', (client) => client.getPayment({ paymentId }));
        const view: ProviderView = {
          status: STATUS[String(p.status)] ?? 'unknown',
          paymentId: 'id' in p ? p.id : paymentId,
          amount: 'amount' in p ? p.amount.total : 0,
          currency: 'currency' in p ? String(p.currency) : '',
          transactionId: 'transactionId' in p ? p.transactionId : undefined,
        };
        if (p.status === 'FAILED' && 'failure' in p) {
          view.failure = { code: p.failure.pgCode ?? 'FAILED', message: p.failure.reason ?? '' };
        }
        return view;
      } catch (err) {
        // Never registered or never started at PortOne: nothing was taken.
        if ((await refusalOf(err)) === 'PAYMENT_NOT_FOUND') {
          return { status: 'unknown', paymentId, amount: 0, currency: '' };
        }
        throw err;
      }
    },
    async refund(paymentId: string, amount: number, reason: string) {
      try {
        await call('cancelPayment', (client) => client.cancelPayment({ paymentId, amount, reason }));
      } catch (err) {
        if ((await refusalOf(err)) !== 'PAYMENT_ALREADY_CANCELLED') throw err;
      }
    },
    async verifyWebhook(rawBody, headers): Promise<WebhookNotice> {
      let body: Awaited<ReturnType<typeof Webhook.verify>>;
      try {
        body = await Webhook.verify(o.webhookSecret, rawBody, headers);
      } catch (err) {
        if (err instanceof Webhook.WebhookVerificationError) throw new WebhookRejected(err.reason);
        if (err instanceof Webhook.InvalidInputError) throw new WebhookRejected('invalid input');
        throw new WebhookRejected('unreadable body');
      }
      const id = headers['webhook-id'];
      const data = (body as { data?: { paymentId?: unknown } }).data;
      return {
        webhookId: String(Array.isArray(id) ? id[0] : id),
        type: String(body.type),
        paymentId: typeof data?.paymentId === 'string' ? data.paymentId : undefined,
        body,
      };
    },
  };
}
