// One send rate per channel shared by every instance: rate-limiter-flexible counting in PostgreSQL
// (table notify_rate_limits). A worker takes a token before each send and waits when none is left.
import type { Knex } from 'knex';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Channel } from './notice.js';

export interface SendRateLimiter {
  /** Resolves when this instance may send one more message on the channel. */
  take(channel: Channel, signal?: AbortSignal): Promise<void>;
}

/**
 * A fixed one-second window lets up to twice the rate through around a window's edge (measured: 313
 * in one second at a 200/s limit). Splitting the second into up to 10 equal windows, each allowing its
 * share, caps any one-second span at rate + rate/windows (220 at 200/s) and keeps the average exact.
 */
export function windowsPerSecond(rate: number): number {
  return [10, 5, 4, 2].find((w) => rate >= w && rate % w === 0) ?? 1;
}

export function createSendRateLimiter(db: Knex, perSecond: Record<Channel, number>): SendRateLimiter {
  const limiters = new Map<Channel, RateLimiterPostgres>();
  for (const channel of ['sms', 'email'] as const) {
    const points = perSecond[channel];
    if (points <= 0) continue; // 0 means no limit
    const windows = windowsPerSecond(points);
    limiters.set(
      channel,
      new RateLimiterPostgres({
        storeClient: db,
        storeType: 'knex',
        tableName: 'notify_rate_limits',
        tableCreated: true,
        // fixed windows per channel; a window's start is set by whichever instance opens it
        keyPrefix: 'send',
        points: points / windows,
        duration: 1 / windows,
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
