// One send rate per channel shared by every instance: rate-limiter-flexible counting in PostgreSQL
// (table notify_rate_limits). A worker takes a token before each send and waits when none is left.
import type { Knex } from 'knex';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Channel } from './notice.js';

export interface SendRateLimiter {
  /** Resolves when this instance may send one more message on the channel. */
  take(channel: Channel, signal?: AbortSignal): Promise<void>;
}

export function createSendRateLimiter(db: Knex, perSecond: Record<Channel, number>): SendRateLimiter {
  const limiters = new Map<Channel, RateLimiterPostgres>();
  for (const channel of ['sms', 'email'] as const) {
    const points = perSecond[channel];
    if (points <= 0) continue; // 0 means no limit
    limiters.set(
      channel,
      new RateLimiterPostgres({
        storeClient: db,
        storeType: 'knex',
        tableName: 'notify_rate_limits',
        tableCreated: true,
        // one fixed one-second window per channel; its start is set by whichever instance opens it
        keyPrefix: 'send',
        points,
        duration: 1,
        clearExpiredByTimeout: false,
      }),
    );
  }
  return {
    async take(channel, signal) {
      const limiter = limiters.get(channel);
      if (!limiter) return;
      for (;;) {
        signal?.throwIfAborted();
        try {
          await limiter.consume(channel, 1);
          return;
        } catch (res) {
          if (!(res instanceof RateLimiterRes)) throw res;
          // wait for the next window, spread a little so that waiting workers do not all wake together
          await new Promise((r) => setTimeout(r, res.msBeforeNext + Math.random() * 5));
        }
      }
    },
  };
}
