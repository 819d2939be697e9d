// Every context the commands need, built once from the validated configuration: the web process's through
// composeContexts (src/compose.ts adds the app), the worker processes' through drawContextOf and paymentContextOf.
// Nothing here loads the web app, so a worker starts without it.

import pLimit from 'p-limit';
import { createSignInLimits, type SignInLimitSettings } from './auth/signInLimits.js';
import { type Clock, systemClock } from './clock.js';
import { createCampaignRulesCache } from './commands/campaignRules.js';
import { stockReader } from './commands/campaignStock.js';
import { signedAdmissions } from './commands/instant/admissionToken.js';
import { BUY_LANES, purchasesAtOnce } from './commands/instant/context.js';
import { openSaleTerms, saleRulesMemory } from './commands/instant/openSaleTerms.js';
import { shuffleWaits } from './commands/instant/shuffleWaits.js';
import { waitingLooks } from './commands/instant/waitingLooks.js';
import { batchedAwardOrders } from './commands/payments/awardOrderWrites.js';
import { batchedSettlements } from './commands/payments/settleOrder.js';
import { createSignedOutSessions } from './commands/residentSignOuts.js';
import { createCheckedSessions } from './commands/staffSessionCheck.js';
import type { Config } from './config.js';
import { cryptoRandom, type RandomSource } from './crypto/random.js';
import type { Db } from './db/knex.js';
import { batchedApplications } from './db/repos/applications.js';
import { batchedCounterAwards } from './db/repos/counterAwards.js';
import { batchedClearCollections } from './db/repos/counterCollections.js';
import { batchedFirstApplications } from './db/repos/firstApplications.js';
import { batchedBuys } from './db/repos/instantBuy.js';
import { batchedJoins } from './db/repos/instantJoins.js';
import { batchedStandings } from './db/repos/instantStanding.js';
import { batchedStockTotals } from './db/repos/instantStock.js';
import { LOCK_TIMEOUT_MS } from './db/transaction.js';
import type { AppDeps, IdentityProviders } from './http/deps.js';
import { createOidcProvider, type OidcProvider } from './identity/oidc.js';
import { createDevVerifier, createPortOneVerifier, type IdentityVerifier } from './identity/portone.js';
import { createRateLimits, DEFAULT_LIMITS, type RateLimitSettings } from './identity/rateLimits.js';
import { beaconMissingGauge, createBeaconFetcher } from './jobs/beacon.js';
import type { PaymentJobContext } from './jobs/payments.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics/registry.js';
import { type Payments, paymentsFromConfig } from './payments/fromConfig.js';

/** What a caller puts in place of what the configuration would build. A key present, even as undefined, wins. */
export interface Overrides {
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
  random?: RandomSource;
  /** identity code and application rate limits (DEFAULT_LIMITS) */
  limits?: RateLimitSettings;
  /** how long a campaign's rules are cached (writes carry the version, so staleness is safe) */
  rulesTtlMs?: number;
  /** first-application statements at the database at once (default: half the pool); more wait and go together */
  applicationLanes?: number;
  /** the counter's collection statements at the database at once (default 2); more wait and go together */
  collectionLanes?: number;
  /** staff password sign-in limits (STAFF_SIGN_IN_LIMITS) */
  signInLimits?: SignInLimitSettings;
  oidc?: OidcProvider | undefined;
  /** 본인인증: PortOne V2, or the development stand-in (never in production) */
  portone?: IdentityVerifier | undefined;
  /** the payment provider and voucher issuer; undefined: no payments */
  payments?: Payments | undefined;
}

/** The parts every process shares: a clock, a logger, a metrics registry. */
interface Base {
  db: Db;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

const base = (db: Db, o: Overrides, logger: Logger): Base => ({
  db,
  clock: o.clock ?? systemClock,
  logger: o.logger ?? logger,
  metrics: o.metrics ?? createMetrics(),
});

function identityFromConfig(config: Config, o: Overrides): IdentityProviders {
  const oidc =
    'oidc' in o
      ? o.oidc
      : config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_JWKS_URL
        ? createOidcProvider({
            issuer: config.OIDC_ISSUER,
            clientId: config.OIDC_CLIENT_ID,
            clientSecret: config.OIDC_CLIENT_SECRET,
            jwksUrl: config.OIDC_JWKS_URL,
            authorizationUrl: config.OIDC_AUTHORIZATION_URL,
            tokenUrl: config.OIDC_TOKEN_URL,
            algorithms: config.OIDC_ALGORITHMS.split(','),
          })
        : undefined;
  const portone =
    'portone' in o
      ? o.portone
      : config.PORTONE_API_SECRET && config.PORTONE_STORE_ID && config.PORTONE_IDENTITY_CHANNEL_KEY
        ? createPortOneVerifier({
            secret: config.PORTONE_API_SECRET,
            storeId: config.PORTONE_STORE_ID,
            channelKey: config.PORTONE_IDENTITY_CHANNEL_KEY,
            baseUrl: config.PORTONE_API_BASE_URL ?? 'https://api.portone.io',
          })
        : config.isProduction
          ? undefined
          : createDevVerifier();
  return { oidc, portone };
}

/** The draw's context (reconciler steps and the draw worker's jobs): the beacon settings and its alert gauge. */
export function drawContextOf(config: Config, db: Db, o: Overrides & { logger: Logger }) {
  return {
    db,
    clock: o.clock ?? systemClock,
    secrets: config.secrets,
    random: o.random ?? cryptoRandom,
    publicUrl: config.publicUrl,
    beaconSource: config.BEACON_SOURCE,
    fetchBeacon: config.BEACON_URL
      ? createBeaconFetcher(config.BEACON_URL, config.BEACON_TIMEOUT_MS)
      : undefined,
    logger: o.logger,
    // the worker processes serve no /metrics: only the web process's reconciler raises the alert
    ...(o.metrics ? { metrics: beaconMissingGauge(o.metrics) } : {}),
  };
}

/** The payment flow's context (routes, reconciler step, voucher and refund jobs); undefined without payments. */
export function paymentContextOf(
  config: Config,
  db: Db,
  o: Overrides = {},
): { payments: Payments | undefined; payment: PaymentJobContext | undefined } {
  const payments = 'payments' in o ? o.payments : paymentsFromConfig(config, db);
  const payment = payments && {
    db,
    clock: o.clock ?? systemClock,
    secrets: config.secrets,
    publicUrl: config.publicUrl,
    provider: payments.provider,
    issuer: payments.issuer,
    settlements: batchedSettlements({ db, clock: o.clock ?? systemClock }),
    awardOrders: batchedAwardOrders({ db, clock: o.clock ?? systemClock }),
  };
  return { payments, payment };
}

/** The app's contexts, plus what only the reconciler uses: the draw's, and the payments' with the voucher issuer. */
export type Contexts = Omit<AppDeps, 'config' | 'payment'> & {
  payment: PaymentJobContext | undefined;
  draw: ReturnType<typeof drawContextOf>;
};

/** Every context of the web process, from the configuration: what the routes and the reconciler hand commands. */
export function composeContexts(config: Config, db: Db, o: Overrides & { logger: Logger }): Contexts {
  const b = base(db, o, o.logger);
  const random = o.random ?? cryptoRandom;
  const { payments, payment } = paymentContextOf(config, db, o);
  const notices = { db, clock: b.clock, secrets: config.secrets, publicUrl: config.publicUrl };
  return {
    ...b,
    intake: {
      ...notices,
      random,
      limits: createRateLimits(db, o.limits ?? DEFAULT_LIMITS),
      rules: createCampaignRulesCache(o.rulesTtlMs ?? 1000),
      firstApplication: batchedFirstApplications(
        db,
        // half the pool: the rest stays free for the requests' other reads and for everything else
        o.applicationLanes ?? Math.max(1, Math.floor(config.DATABASE_POOL_MAX / 2)),
      ),
      // two lanes each, as the instant sale's looks: a crowd reading its results after a draw
      applications: batchedApplications(db, 2),
      counterAwards: batchedCounterAwards(db, 2),
    },
    identity: identityFromConfig(config, o),
    signIn: createSignInLimits(db, config.secrets.sessionSecret, o.signInLimits),
    notices,
    payments,
    payment,
    instant: {
      ...notices,
      random,
      payment,
      joins: batchedJoins(db, 2),
      buys: batchedBuys(db, BUY_LANES),
      standings: batchedStandings(db, 2),
      stockLeft: batchedStockTotals(db, 1),
      purchaseSlot: pLimit(purchasesAtOnce(config.DATABASE_POOL_MAX)),
      openingConnections: config.DATABASE_POOL_MAX,
      openSales: openSaleTerms(),
      saleRules: saleRulesMemory(),
      looks: waitingLooks(),
      // arrivals wait for the next pass only where the passes run (the reconciler, RUN_SCHEDULER)
      shuffles: shuffleWaits({ handsArrivals: config.RUN_SCHEDULER }),
      admissions: signedAdmissions(),
    },
    // two lanes: one batch's commit flush overlaps the next one's statement, and each batch is one commit
    collections: batchedClearCollections(db, o.collectionLanes ?? 2, LOCK_TIMEOUT_MS),
    staffSessions: createCheckedSessions(),
    residentSignOuts: createSignedOutSessions(),
    stock: stockReader({ db, clock: b.clock }),
    draw: drawContextOf(config, db, { ...o, ...b, random }),
  };
}
