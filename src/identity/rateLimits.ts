// Rate limits for one-time codes, shared by every instance through PostgreSQL (rate-limiter-flexible).
import type { Knex } from 'knex';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../domain/errors.js';

export interface LimitSpec {
  points: number;
  seconds: number;
}

export interface RateLimitSettings {
  /** one code per phone/address per this many seconds (the resend cooldown) */
  resendCooldown: LimitSpec;
  /** codes per phone/address per hour */
  codesPerTarget: LimitSpec;
  /** codes requested per client address */
  codesPerIp: LimitSpec;
  /** code guesses per client address (on top of 5 per code) */
  verifyPerIp: LimitSpec;
}

export const DEFAULT_LIMITS: RateLimitSettings = {
  resendCooldown: { points: 1, seconds: 60 },
  codesPerTarget: { points: 5, seconds: 3600 },
  // generous: a community centre or a carrier NAT puts many residents behind one address
  codesPerIp: { points: 60, seconds: 3600 },
  verifyPerIp: { points: 120, seconds: 600 },
};

export interface Limiter {
  consume(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  /** gives back one point (an attempt that turned out fine) */
  refund(key: string): Promise<void>;
}

/** One limit in the shared PostgreSQL store; going over it is `rate_limited` with the seconds to wait. */
export function createLimiter(db: Knex, name: string, spec: LimitSpec): Limiter {
  const limiter = new RateLimiterPostgres({
    storeClient: db,
    storeType: 'knex',
    tableName: 'rate_limits',
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix: name,
    points: spec.points,
    duration: spec.seconds,
  });
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        const retry = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        throw new DomainError('rate_limited', `Too many attempts; try again in ${retry} seconds`, {
          details: { retry_after: retry, limit: name },
        });
      }
    },
    async reset(key) {
      await limiter.delete(key);
    },
    async refund(key) {
      await limiter.reward(key, 1);
    },
  };
}

export type RateLimits = Record<keyof RateLimitSettings, Limiter>;

export function createRateLimits(db: Knex, settings: RateLimitSettings = DEFAULT_LIMITS): RateLimits {
  const make = (name: keyof RateLimitSettings) => createLimiter(db, name, settings[name]);
  return {
    resendCooldown: make('resendCooldown'),
    codesPerTarget: make('codesPerTarget'),
    codesPerIp: make('codesPerIp'),
    verifyPerIp: make('verifyPerIp'),
  };
}
