import type { SignInLimits } from '../auth/signInLimits.js';
import type { Clock } from '../clock.js';
import type { AwardContext } from '../commands/awardNotices.js';
import type { stockReader } from '../commands/campaignStock.js';
import type { InstantContext } from '../commands/instant/context.js';
import type { IntakeContext } from '../commands/intakeContext.js';
import type { PaymentContext } from '../commands/payments/context.js';
import type { SignedOutSessions } from '../commands/residentSignOuts.js';
import type { CheckedSessions } from '../commands/staffSessionCheck.js';
import type { Config } from '../config.js';
import type { Batched } from '../db/batch.js';
import type { Db } from '../db/knex.js';
import type { AwardRow } from '../db/repos/awards.js';
import type { ClearPress } from '../db/repos/counterCollections.js';
import type { OidcProvider } from '../identity/oidc.js';
import type { IdentityVerifier } from '../identity/portone.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/registry.js';
import type { Payments } from '../payments/fromConfig.js';

export interface IdentityProviders {
  oidc: OidcProvider | undefined;
  /** 본인인증: PortOne V2, or the development stand-in (never in production) */
  portone: IdentityVerifier | undefined;
}

/** Everything the HTTP layer needs, every use-case context ready: built by src/compose.ts (main.ts and the tests). */
export interface AppDeps {
  config: Pick<
    Config,
    | 'secrets'
    | 'publicUrl'
    | 'isProduction'
    | 'BODY_LIMIT'
    | 'NODE_ENV'
    | 'TWILIO_AUTH_TOKEN'
    | 'TRUST_PROXY'
    // the draw's default beacon sentence, which the campaign form and overview name
    | 'BEACON_SOURCE'
  >;
  db: Db;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** identity-verified intake: rate limits, rules cache, randomness */
  intake: IntakeContext;
  identity: IdentityProviders;
  /** staff password sign-in limits */
  signIn: SignInLimits;
  /** what award notices and the draw's routes need: the database, the clock, the secrets, our address */
  notices: AwardContext;
  /** the payment provider and voucher issuer; undefined when payments are not configured */
  payments: Payments | undefined;
  payment: PaymentContext | undefined;
  instant: InstantContext;
  /** the process's group commit of the counter's clear presses (counterCollections.ts) */
  collections: Batched<ClearPress, AwardRow | undefined>;
  /** staff sessions checked in the last second, forgotten when this process revokes one (staffSessionCheck.ts) */
  staffSessions: CheckedSessions;
  /** resident sessions signed out before their expiry, as this process last read them (residentSignOuts.ts) */
  residentSignOuts: SignedOutSessions;
  /** the per-process stock snapshots the stock route and its fast path share */
  stock: ReturnType<typeof stockReader>;
}
