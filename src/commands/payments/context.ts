// What the payment use cases receive: the database, the clock, the provider, the process's settlement and award
// order batchers, and what notices need.
import type { PaymentProvider } from '../../payments/provider.js';
import type { NoticeEnv } from '../awardNotices.js';
import type { CommandContext } from '../context.js';
import type { AwardOrders } from './awardOrderWrites.js';
import type { Settlements } from './settleOrder.js';

export interface PaymentContext extends CommandContext, NoticeEnv {
  provider: PaymentProvider;
  /** settlements and webhook receipts, batched into shared transactions (made by the composition root) */
  settlements: Settlements;
  /** award orders created and moved to pending, batched into shared transactions (made by the composition root) */
  awardOrders: AwardOrders;
}

/** graphile-worker tasks of the payment flow. */
export const ISSUE_TASK = 'issue_vouchers';
export const REFUND_TASK = 'refund_order';

/** What the resident and the API see of an order. */
export interface OrderView {
  id: string;
  state: string;
  face_value: number;
  amount: number;
  currency: string;
  expires_at: string;
  checkout_url?: string;
}
