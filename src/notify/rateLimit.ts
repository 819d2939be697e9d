// One send rate per channel shared by every instance: rate-limiter-flexible counting in PostgreSQL
// (table notify_rate_limits). A worker takes a token before each send and waits when none is left.
import type { Knex } from 'knex';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { type Clock, systemClock } from '../clock.js';
import type { Channel } from './notice.js';

export interface SendRateLimiter {
  /** Resolves when this instance may send one more message on the channel. */
  take(channel: Channel, signal?: AbortSignal): Promise<void>;
}

/**
 * A fixed one-second window lets up to twice the rate through around a window's edge (measured: 313
 * in one second at a 200/s limit). Splitting the second into up to 10 equal windows, each allowing its
 * share, caps any one-second span at rate + rate/windows (220 at 200/s). The windows are slots of the
 * wall clock (the key carries the slot number), so they follow each other without gaps: a window that
 * starts at its first request instead lost the waiters' wake-up time every 100 ms (18 % under load).
 * Instances' clocks must agree to well under a window (NTP does); skew lets a little more through.
 */
export function windowsPerSecond(rate: number): number {
  return [10, 5, 4, 2].find((w) => rate >= w && rate % w === 0) ?? 1;
}

/**
 * How long a slot's row counts. The slot number in the key is the window; this only has to outlast the
 * slowest take for that slot. A row that lived one slot (100 ms) expired under load before a delayed
 * take for it arrived, and the library started the count again: the slot granted twice its share.
 */
const SLOT_ROW_SECONDS = 60;

export function createSendRateLimiter(
  db: Knex,
  perSecond: Record<Channel, number>,
  clock: Clock = systemClock,
): SendRateLimiter {
  const limiters = new Map<Channel, RateLimiterPostgres>();
  const slotMs = new Map<Channel, number>();
  const limiterShare = new Map<Channel, number>();
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
        keyPrefix: 'send',
        points: points / windows,
        duration: SLOT_ROW_SECONDS,
        // one row per slot; the library deletes rows an hour past expiry every five minutes
        clearExpiredByTimeout: true,
      }),
    );
    slotMs.set(channel, 1000 / windows);
    limiterShare.set(channel, Math.ceil(points / windows));
  }
  // The last slot this instance saw refused, per channel: other waiters here skip the query bound to fail
  // (at 200/s with 32 sends in flight most takes were such refusals, each a round trip).
  const spent = new Map<Channel, number>();
  // Takes of the current slot this instance has at the store, per channel: no more than the slot can grant. All of
  // a worker's waiters woke at each slot's start and asked at once; every ask is an upsert of the one row (refused
  // ones count too), so at 10 SMS/s 16 waiters made 160 commits a second queued on that row's lock, in a rush's
  // sell-out as well.
  const asking = new Map<Channel, { slot: number; count: number }>();
  return {
    async take(channel, signal) {
      const limiter = limiters.get(channel);
      if (!limiter) return;
      const slot = slotMs.get(channel) as number;
      const share = limiterShare.get(channel) as number;
      for (;;) {
        signal?.throwIfAborted();
        const n = Math.floor(clock.now().getTime() / slot);
        let ask = asking.get(channel);
        if (ask?.slot !== n) {
          ask = { slot: n, count: 0 };
          asking.set(channel, ask);
        }
        if (spent.get(channel) !== n && ask.count < share) {
          ask.count++;
          try {
            await limiter.consume(`${channel}:${n}`, 1);
            return;
          } catch (res) {
            if (!(res instanceof RateLimiterRes)) throw res;
            spent.set(channel, n);
          }
        }
        // this slot is spent, or asked for in full: try again as the next one begins (a hair later, so waiters spread)
        await new Promise((r) => setTimeout(r, slot - (clock.now().getTime() % slot) + Math.random() * 2));
      }
    },
  };
}
