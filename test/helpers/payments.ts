// A drawn voucher lottery in its claim window with a payment provider (the development one, or PortOne's
// client against its stand-in), winners with resident tokens, and the payment jobs run in-process on demand.
import { ISSUE_TASK, type PaymentContext, REFUND_TASK } from '../../src/commands/payments/context.js';
import { issueOrders } from '../../src/commands/payments/issueVouchers.js';
import { reconcileOrders } from '../../src/commands/payments/reconcileOrders.js';
import { refundOrder } from '../../src/commands/payments/refundOrder.js';
import type { Db } from '../../src/db/knex.js';
import { signResidentToken } from '../../src/identity/residentSession.js';
import { issueJobOrders } from '../../src/jobs/payments.js';
import {
  type DevPaymentFaults,
  type DevPaymentProvider,
  devPaymentProvider,
} from '../../src/payments/devProvider.js';
import { derivedKey, type Payments } from '../../src/payments/fromConfig.js';
import { devIssuer, type VoucherIssuer } from '../../src/payments/issuer.js';
import { portOneProvider } from '../../src/payments/portone.js';
import { at, drawnLottery } from '../draw/_scenario.js';
import { startTestApp, TEST_SECRETS, type TestApp } from './app.js';
import {
  PORTONE_CHANNEL,
  PORTONE_SECRET,
  PORTONE_STORE,
  PORTONE_WEBHOOK_SECRET,
  type PortOneStandIn,
  startPortOneStandIn,
} from './portOneStandIn.js';

export const noFaults = (): DevPaymentFaults => ({
  latencyMs: 0,
  failureRate: 0,
  duplicateRate: 0,
  dropRate: 0,
  webhookDelayMs: 0,
});

/** A small deterministic generator (mulberry32) for the dev provider's fault draws. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Person {
  public_id: string;
  identity_id: string;
  headers: Record<string, string>;
  amount: number;
}

export interface PaymentWorld {
  app: TestApp;
  campaignId: string;
  payments: Payments;
  dev?: DevPaymentProvider;
  portone?: PortOneStandIn;
  faults: DevPaymentFaults;
  ctx: PaymentContext & { issuer: VoucherIssuer };
  /** winners: public id, identity id, resident token header, held amount */
  winners: Person[];
  waitlisted: Person[];
  /** runs the queued issue and refund jobs (as the worker would), returns how many ran */
  runJobs(): Promise<number>;
  reconcile(): ReturnType<typeof reconcileOrders>;
  close(): Promise<void>;
}

export async function paymentWorld(
  o: {
    provider?: 'dev' | 'portone';
    faults?: Partial<DevPaymentFaults>;
    timeoutMs?: number;
    random?: () => number;
    applicants?: number;
    /** the API secret the service sends PortOne (the stand-in accepts only PORTONE_SECRET) */
    apiSecret?: string;
  } = {},
): Promise<PaymentWorld> {
  const faults = { ...noFaults(), ...o.faults };
  const portone = o.provider === 'portone' ? await startPortOneStandIn() : undefined;
  let dev: DevPaymentProvider | undefined;
  const issuer = devIssuer(derivedKey(TEST_SECRETS.dataKey, 'dev-voucher-issuer'));
  const app = await startTestApp({
    ownPublicUrl: true,
    payments: (url, db) => {
      if (portone) {
        return {
          provider: portOneProvider({
            apiSecret: o.apiSecret ?? PORTONE_SECRET,
            storeId: PORTONE_STORE,
            channelKey: PORTONE_CHANNEL,
            webhookSecret: PORTONE_WEBHOOK_SECRET,
            baseUrl: portone.url,
            timeoutMs: o.timeoutMs ?? 2000,
            publicUrl: url,
          }),
          issuer,
          portOne: { storeId: PORTONE_STORE, channelKey: PORTONE_CHANNEL },
        };
      }
      dev = devPaymentProvider({
        db,
        publicUrl: url,
        webhookSecret: derivedKey(TEST_SECRETS.dataKey, 'dev-payment-webhooks'),
        timeoutMs: o.timeoutMs ?? 2000,
        faults,
        random: o.random ?? seeded(1),
      });
      return { provider: dev, issuer, devCheckout: dev.checkout };
    },
  });
  // A budget smaller than the requests, so that some wait: expiry passes awards down to them.
  const { s } = await drawnLottery(app, {
    kind: 'voucher',
    applicants: o.applicants ?? 30,
    total: 3_000_000,
  });
  await app.db('campaigns').where({ id: s.campaignId }).update({ discount_bp: 1000, checkout_minutes: 30 });
  app.clock.set(at(5)); // the claim window is open: winners may pay
  const payments = app.deps.payments!;
  const ctx = {
    db: app.db,
    clock: app.clock,
    secrets: TEST_SECRETS,
    publicUrl: app.url,
    provider: payments.provider,
    issuer,
    // the app's own batcher: the tests' settlements share transactions with the routes', as in one process
    settlements: app.deps.payment!.settlements,
    awardOrders: app.deps.payment!.awardOrders,
  };
  const people = (status: string) =>
    app
      .db('awards as a')
      .join('applications as ap', function () {
        this.on('ap.campaign_id', 'a.campaign_id').andOn('ap.public_id', 'a.public_id');
      })
      .where('a.campaign_id', s.campaignId)
      .andWhere('a.status', status)
      .orderBy('a.rank')
      .select('a.public_id', 'ap.identity_id', 'a.amount');
  const withTokens = (rows: Array<{ public_id: string; identity_id: string; amount: string }>) =>
    Promise.all(
      rows.map(async (r) => {
        const token = await signResidentToken(
          TEST_SECRETS.sessionSecret,
          { sub: r.identity_id, m: 'email', bd: null, bs: null, cc: null, ce: null, lang: 'ko' },
          app.clock.now(),
        );
        return {
          public_id: r.public_id,
          identity_id: r.identity_id,
          headers: { 'x-resident-token': token },
          amount: Number(r.amount),
        };
      }),
    );
  const winners = await withTokens(await people('won'));
  const waitlisted = await withTokens(await people('waitlisted'));
  async function runJobs(): Promise<number> {
    let ran = 0;
    for (;;) {
      const { rows: jobs } = await app.db.raw(
        `DELETE FROM graphile_worker._private_jobs j USING graphile_worker._private_tasks t
          WHERE t.id = j.task_id AND t.identifier IN (?, ?) AND j.locked_at IS NULL
          RETURNING t.identifier, j.payload`,
        [ISSUE_TASK, REFUND_TASK],
      );
      if (jobs.length === 0) return ran;
      for (const j of jobs as Array<{ identifier: string; payload: { order_id: string } }>) {
        if (j.identifier === ISSUE_TASK) await issueOrders(ctx, issuer, issueJobOrders(j.payload));
        else await refundOrder(ctx, j.payload.order_id);
        ran++;
      }
    }
  }
  return {
    app,
    campaignId: s.campaignId,
    payments,
    ...(dev ? { dev } : {}),
    ...(portone ? { portone } : {}),
    faults,
    ctx,
    winners,
    waitlisted,
    runJobs,
    reconcile: () => reconcileOrders(ctx),
    async close() {
      await dev?.settled();
      await app.close();
      await portone?.close();
    },
  };
}

/** Creates an order for a winner through the API; returns the reply. */
export function orderFor(w: PaymentWorld, i: number, key: string, body: Record<string, unknown> = {}) {
  return w.app.request('POST', `/api/campaigns/${w.campaignId}/award/orders`, {
    json: body,
    headers: { ...w.winners[i]!.headers, 'idempotency-key': key },
  });
}

export const ordersOf = (db: Db, campaignId: string) =>
  db('orders').where({ campaign_id: campaignId }).orderBy('created_at');

/** A resident token for the person as of the world's clock now (tokens last 30 minutes). */
export async function freshHeaders(w: PaymentWorld, p: Person): Promise<Record<string, string>> {
  const token = await signResidentToken(
    TEST_SECRETS.sessionSecret,
    { sub: p.identity_id, m: 'email', bd: null, bs: null, cc: null, ce: null, lang: 'ko' },
    w.app.clock.now(),
  );
  return { 'x-resident-token': token };
}
