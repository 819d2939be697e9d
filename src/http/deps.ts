import type { SignInLimitSettings } from '../auth/signInLimits.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/registry.js';
import type { Payments } from '../payments/fromConfig.js';
import type { IntakeDeps } from './intake.js';

/** Everything the HTTP layer needs, handed in by main.ts or a test. */
export interface AppDeps {
  config: Pick<
    Config,
    'secrets' | 'publicUrl' | 'isProduction' | 'BODY_LIMIT' | 'NODE_ENV' | 'TWILIO_AUTH_TOKEN'
  > &
    Partial<Pick<Config, 'TRUST_PROXY'>>;
  db: Db;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** identity-verified intake: OIDC provider, webhook secret, randomness and limits (derived from config when absent) */
  intake?: IntakeDeps;
  /** staff password sign-in limits (STAFF_SIGN_IN_LIMITS when absent) */
  signInLimits?: SignInLimitSettings;
  /** the payment provider and voucher issuer; absent when payments are not configured (production without PortOne) */
  payments?: Payments | undefined;
}
