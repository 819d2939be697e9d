// The payment interface every gateway sits behind (PortOne V2, the development provider): voucher awards use
// it now, instant-sale orders next. The provider is asked, never trusted from the browser: the server looks a
// payment up before anything is issued, and a webhook only says "look again".
import type { ProviderView } from '../domain/payments/order.js';

export interface CheckoutRequest {
  paymentId: string;
  orderName: string;
  /** KRW, computed by the server */
  amount: number;
  currency: 'KRW';
  /** where the provider sends the browser back */
  returnUrl: string;
}

export interface WebhookNotice {
  /** the delivery id (the same delivery twice has the same id) */
  webhookId: string;
  type: string;
  /** the payment it is about, if any */
  paymentId: string | undefined;
  body: unknown;
}

export interface PaymentProvider {
  /** 'portone' | 'dev' */
  readonly name: string;
  /** Tells the provider what to expect (PortOne refuses another amount for a pre-registered payment). */
  prepare(req: CheckoutRequest): Promise<void>;
  /** The page the browser goes to, to pay. */
  checkoutUrl(req: CheckoutRequest): string;
  /** What the provider knows about a payment now. Throws ProviderUnavailable on timeouts and 5xx. */
  lookup(paymentId: string): Promise<ProviderView>;
  /** Gives the whole payment back; an already refunded payment counts as done. */
  refund(paymentId: string, amount: number, reason: string): Promise<void>;
  /** Checks the signature; throws WebhookRejected when it does not hold (the route answers 403). */
  verifyWebhook(
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<WebhookNotice>;
}

/** The provider could not answer now (timeout, 5xx, network): try again later, change nothing. */
export class ProviderUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProviderUnavailable';
  }
}

export class WebhookRejected extends Error {
  constructor(reason: string) {
    super(`webhook rejected: ${reason}`);
    this.name = 'WebhookRejected';
  }
}

/**
 * Waits at most `timeoutMs` for a provider call; a timeout or a network error becomes ProviderUnavailable.
 * (The PortOne SDK takes no AbortSignal, so the wait is raced rather than aborted.)
 */
export async function withDeadline<T>(timeoutMs: number, what: string, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ProviderUnavailable(`${what}: no answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([run(), timeout]);
  } catch (err) {
    if (err instanceof TypeError || err instanceof SyntaxError) {
      throw new ProviderUnavailable(`${what}: ${err.message}`, { cause: err });
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
