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

/** One channel's limit and what this instance knows of its current slot. */
interface ChannelLimit {
  limiter: RateLimiterPostgres;
  /** one window's length: the slot the key carries */
  slotMs: number;
  /** what one slot grants */
  share: number;
  /**
   * The last slot this instance saw refused: other waiters here skip the query bound to fail (at 200/s with 32
   * sends in flight most takes were such refusals, each a round trip).
   */
  spent?: number;
  /**
   * Takes of the current slot this instance has at the store: no more than the slot can grant. All of a worker's
   * waiters woke at each slot's start and asked at once; every ask is an upsert of the one row (refused ones count
   * too), so at 10 SMS/s 16 waiters made 160 commits a second queued on that row's lock, in a rush's sell-out too.
   */
  asking: { slot: number; count: number };
}

export function createSendRateLimiter(
  db: Knex,
  perSecond: Record<Channel, number>,
  clock: Clock = systemClock,
): SendRateLimiter {
  const limits = new Map<Channel, ChannelLimit>();
  for (const channel of ['sms', 'email'] as const) {
    const points = perSecond[channel];
    if (points <= 0) continue; // 0 means no limit
    const windows = windowsPerSecond(points);
    const limiter = new RateLimiterPostgres({
      storeClient: db,
      storeType: 'knex',
      tableName: 'notify_rate_limits',
      tableCreated: true,
      keyPrefix: 'send',
      points: points / windows,
      duration: SLOT_ROW_SECONDS,
      // one row per slot; the library deletes rows an hour past expiry every five minutes
      clearExpiredByTimeout: true,
    });
    limits.set(channel, {
      limiter,
      slotMs: 1000 / windows,
      share: Math.ceil(points / windows),
      asking: { slot: -1, count: 0 },
    });
  }
  return {
    async take(channel, signal) {
      const c = limits.get(channel);
      if (!c) return;
      for (;;) {
        signal?.throwIfAborted();
        const n = Math.floor(clock.now().getTime() / c.slotMs);
        if (c.asking.slot !== n) c.asking = { slot: n, count: 0 };
        if (c.spent !== n && c.asking.count < c.share) {
          c.asking.count++;
          try {
            await c.limiter.consume(`${channel}:${n}`, 1);
            return;
          } catch (res) {
            if (!(res instanceof RateLimiterRes)) throw res;
            c.spent = n;
          }
        }
        // this slot is spent, or asked for in full: try again as the next one begins (a hair later, so waiters spread)
        await new Promise((r) =>
          setTimeout(r, c.slotMs - (clock.now().getTime() % c.slotMs) + Math.random() * 2),
        );
      }
    },
  };
}
