// What the instant-sale use cases receive: database, clock, randomness, secrets, and the payment path.

import type { RandomSource } from '../../crypto/random.js';
import type { Batched } from '../../db/batch.js';
import type { HomeRowBuy, HomeRowRefusal } from '../../db/repos/instantBuy.js';
import type { Joined, NewPlace } from '../../db/repos/instantJoins.js';
import type { Look, Standing } from '../../db/repos/instantStanding.js';
import type { StockTotals } from '../../db/repos/instantStock.js';
import type { IdentitySecrets } from '../../identity/crypto.js';
import type { CommandContext } from '../context.js';
import type { PaymentContext } from '../payments/context.js';
import type { SignedAdmissions } from './admissionToken.js';
import type { OpenSaleTerms, SaleRulesMemory } from './openSaleTerms.js';
import type { ShuffleWaits } from './shuffleWaits.js';
import type { WaitingLooks } from './waitingLooks.js';

export interface InstantContext extends CommandContext {
  random: RandomSource;
  secrets: IdentitySecrets & { sessionSecret: Uint8Array };
  publicUrl: string;
  /** absent when the service has no payment provider: purchases are then refused, never held unpaid */
  payment?: PaymentContext | undefined;
  /** the process's joins batched into one statement and one commit (batchedJoins); each alone when absent */
  joins?: Batched<NewPlace, Joined | undefined>;
  /** the process's buyers batched into one statement and one commit (batchedBuys); each alone when absent */
  buys?: Batched<HomeRowBuy, HomeRowRefusal | undefined>;
  /** bounds the several-rows purchase transactions at once in this process (purchasesAtOnce); unbounded when absent */
  purchaseSlot?: <T>(run: () => Promise<T>) => Promise<T>;
  /** the process's looks at one's place read in one statement (batchedStandings); each alone when absent */
  standings?: Batched<Look, Standing | undefined>;
  /** the sold-out buyers' reads of the stock left, batched (batchedStockTotals); each alone when absent */
  stockLeft?: Batched<string, StockTotals>;
  /** looks at a place still waiting, answered from a rank already read and a shared read of the cursor */
  looks?: WaitingLooks;
  /** an open sale's terms remembered a few seconds (openSaleTerms.ts); read on every buy when absent */
  openSales?: OpenSaleTerms;
  /** a scheduled or open sale's eligibility rules remembered a few seconds (openSaleTerms.ts); read on every join when absent */
  saleRules?: SaleRulesMemory;
  /** pre-queue looks held until the opening's shuffle (Prefer: wait); each answered at once when absent */
  shuffles?: ShuffleWaits;
  /** the admission tokens this process signed (admissionToken.ts); every token signed and verified when absent */
  admissions?: SignedAdmissions;
  /** connections opened ahead of a sale's opening (the pool's size; runSales.ts); none when absent */
  openingConnections?: number;
}

/** Waiting-room rules a new sale starts with; an admin may change them until the pre-queue opens. */
export const DEFAULT_ROOM = {
  prequeue_minutes: 30,
  admit_per_second: 500,
  max_active: 2000,
  token_seconds: 120,
  hold_seconds: 600,
  overbook_percent: 0,
} as const;

/**
 * Batches of buyers at the database at once, per process: each locks the sale's stock rows until its commit, so a
 * second batch waits at that lock while the first flushes, and the buyers arriving meanwhile make the next batch.
 */
export const BUY_LANES = 2;

/** Stock rows per sale: 16 rows took 8,500 tx/s against 1,700 for one hot row at 64 clients (STACK-NOTES). */
export const STOCK_ROWS = 16;

/**
 * Purchase transactions at once, per process: two fewer than the pool (DATABASE_POOL_MAX), so reads never starve,
 * and no more than there are stock rows. Unbounded, buyers on one sale's rows spend their time waiting on locks
 * (STACK-NOTES: a hot row at 256 clients does a fifth of what it does at 4); a bounded queue keeps each
 * transaction short. Bounded too low, a sale is commits waiting on flushes a small group at a time: a row's lock
 * is held through its commit's flush (3-6 ms here), so the pace is about (purchases at once) a flush. The
 * provider's checkout registration runs after the transaction, outside the bound.
 */
export function purchasesAtOnce(poolMax: number): number {
  return Math.max(1, Math.min(STOCK_ROWS, poolMax - 2));
}
