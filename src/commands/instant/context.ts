// What the instant-sale use cases receive: database, clock, randomness, secrets, and the payment path.
import type { IdentitySecrets } from '../../identity/crypto.js';
import type { RandomSource } from '../../identity/random.js';
import type { CommandContext } from '../context.js';
import type { PaymentContext } from '../payments/context.js';

export interface InstantContext extends CommandContext {
  random: RandomSource;
  secrets: IdentitySecrets & { sessionSecret: Uint8Array };
  publicUrl: string;
  /** absent when the service has no payment provider: purchases are then refused, never held unpaid */
  payment?: PaymentContext | undefined;
}

/** Waiting-room rules a new sale starts with; an admin may change them until the pre-queue opens. */
export const DEFAULT_ROOM = {
  prequeue_minutes: 30,
  admit_per_second: 500,
  max_active: 2000,
  token_seconds: 120,
  hold_seconds: 600,
} as const;

/** Stock rows per sale: 16 rows took 8,500 tx/s against 1,700 for one hot row at 64 clients (STACK-NOTES). */
export const STOCK_ROWS = 16;
