// Which payment provider and voucher issuer the service uses, chosen once from the configuration.
import { createHmac, randomInt } from 'node:crypto';
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import { type DevPaymentProvider, devPaymentProvider } from './devProvider.js';
import { devIssuer, type VoucherIssuer } from './issuer.js';
import { portOneProvider } from './portone.js';
import type { PaymentProvider } from './provider.js';

export interface Payments {
  provider: PaymentProvider;
  issuer: VoucherIssuer;
  /** the development provider's checkout, when it is the one in use */
  devCheckout?: DevPaymentProvider['checkout'];
  /** PortOne's browser checkout needs these on the page */
  portOne?: { storeId: string; channelKey: string };
}

/** A key of its own for each development use, derived from the data key. */
export const derivedKey = (dataKey: Uint8Array, use: string) =>
  createHmac('sha256', dataKey).update(use).digest();

type PaymentConfig = Pick<
  Config,
  | 'secrets'
  | 'publicUrl'
  | 'isProduction'
  | 'PORTONE_API_SECRET'
  | 'PORTONE_STORE_ID'
  | 'PORTONE_CHANNEL_KEY'
  | 'PORTONE_WEBHOOK_SECRET'
  | 'PORTONE_API_BASE_URL'
  | 'PAYMENT_TIMEOUT_MS'
  | 'DEV_PAY_LATENCY_MS'
  | 'DEV_PAY_FAILURE_RATE'
  | 'DEV_PAY_DUPLICATE_RATE'
  | 'DEV_PAY_DROP_RATE'
  | 'DEV_PAY_WEBHOOK_DELAY_MS'
  | 'DEV_ISSUER_LATENCY_MS'
>;

/** PortOne when configured; otherwise the development provider, never in production (undefined: no payments). */
export function paymentsFromConfig(config: PaymentConfig, db: Db): Payments | undefined {
  const issuer = devIssuer(derivedKey(config.secrets.dataKey, 'dev-voucher-issuer'), {
    latencyMs: config.DEV_ISSUER_LATENCY_MS,
  });
  if (config.PORTONE_API_SECRET && config.PORTONE_STORE_ID && config.PORTONE_CHANNEL_KEY) {
    // (config.ts has checked that the webhook secret comes with the channel)
    return {
      provider: portOneProvider({
        apiSecret: config.PORTONE_API_SECRET,
        storeId: config.PORTONE_STORE_ID,
        channelKey: config.PORTONE_CHANNEL_KEY,
        webhookSecret: config.PORTONE_WEBHOOK_SECRET ?? '',
        baseUrl: config.PORTONE_API_BASE_URL,
        timeoutMs: config.PAYMENT_TIMEOUT_MS,
        publicUrl: config.publicUrl,
      }),
      issuer,
      portOne: { storeId: config.PORTONE_STORE_ID, channelKey: config.PORTONE_CHANNEL_KEY },
    };
  }
  if (config.isProduction) return undefined;
  const dev = devPaymentProvider({
    db,
    publicUrl: config.publicUrl,
    webhookSecret: derivedKey(config.secrets.dataKey, 'dev-payment-webhooks'),
    timeoutMs: config.PAYMENT_TIMEOUT_MS,
    random: () => randomInt(0, 1_000_000) / 1_000_000,
    faults: {
      latencyMs: config.DEV_PAY_LATENCY_MS,
      failureRate: config.DEV_PAY_FAILURE_RATE,
      duplicateRate: config.DEV_PAY_DUPLICATE_RATE,
      dropRate: config.DEV_PAY_DROP_RATE,
      webhookDelayMs: config.DEV_PAY_WEBHOOK_DELAY_MS,
    },
  });
  return { provider: dev, issuer, devCheckout: dev.checkout };
}
