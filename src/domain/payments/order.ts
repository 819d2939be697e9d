// An order's life, forward only: created -> pending -> paid -> issued, or failed / cancelled / expired, and
// refunded. Pure: what a state may become, what the provider's answer means for an order, what is paid.
import { DateTime } from 'luxon';

export const ORDER_STATES = [
  'created',
  'pending',
  'paid',
  'issued',
  'failed',
  'cancelled',
  'expired',
  'refunded',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const ORDER_PURPOSES = ['voucher_award', 'instant_order'] as const;
export type OrderPurpose = (typeof ORDER_PURPOSES)[number];

/** States in which the order still waits for the money. */
export const OPEN_STATES: readonly OrderState[] = ['created', 'pending'];

/**
 * Every move an order may make. Nothing moves back: a closed order (failed, cancelled, expired) never becomes
 * paid; money that arrives for one anyway is given back (refunded), never kept without an issue.
 */
const NEXT: Record<OrderState, readonly OrderState[]> = {
  created: ['pending', 'paid', 'failed', 'cancelled', 'expired'],
  pending: ['paid', 'failed', 'cancelled', 'expired'],
  paid: ['issued', 'refunded'],
  issued: [],
  failed: ['refunded'],
  cancelled: ['refunded'],
  expired: ['refunded'],
  refunded: [],
};

export function canMove(from: OrderState, to: OrderState): boolean {
  return NEXT[from].includes(to);
}

/** What the provider says about a payment, in the provider-neutral words the state machine needs. */
export type ProviderStatus = 'ready' | 'paid' | 'failed' | 'cancelled' | 'unknown';

export interface ProviderView {
  status: ProviderStatus;
  /** the amount the provider took (paid) or asked for */
  amount: number;
  /** the provider's own order reference, which must be ours */
  paymentId: string;
  currency: string;
  transactionId?: string | undefined;
  failure?: { code: string; message: string } | undefined;
}

export interface OrderFacts {
  state: OrderState;
  amount: number;
  currency: string;
  payment_id: string;
  /** money already recorded as taken for this order */
  paid_amount: number | null;
}

/** What to do with an order given the provider's answer. */
export type Settlement =
  | { kind: 'none' }
  | { kind: 'paid' }
  | { kind: 'close'; to: 'failed' | 'cancelled'; code: string; message: string }
  /** money was taken that this order cannot keep: the order is closed or the payment does not match */
  | { kind: 'refund'; reason: 'late_payment' | 'amount_mismatch'; close?: 'failed' };

/**
 * Whether a provider's answer could still move this order: not once it is closed with its payment recorded, as
 * settle then says none whatever the answer. Saves asking the provider again after the webhook or the return.
 */
export function awaitsProvider(order: Pick<OrderFacts, 'state' | 'paid_amount'>): boolean {
  return order.paid_amount === null || OPEN_STATES.includes(order.state);
}

/**
 * The provider's answer applied to an order. Checks the payment is ours (id) and for the amount the server
 * computed (currency too); a paid payment that does not match is never issued, it is refunded.
 */
export function settle(order: OrderFacts, view: ProviderView): Settlement {
  if (view.paymentId !== order.payment_id) return { kind: 'none' };
  const open = OPEN_STATES.includes(order.state);
  if (view.status === 'paid') {
    if (order.paid_amount !== null) return { kind: 'none' }; // already recorded: one payment issues once
    if (view.amount !== order.amount || view.currency !== order.currency) {
      // Closed or open, money that does not match is taken: it is recorded and given back, never left unseen.
      return open
        ? { kind: 'refund', reason: 'amount_mismatch', close: 'failed' }
        : { kind: 'refund', reason: 'amount_mismatch' };
    }
    return open ? { kind: 'paid' } : { kind: 'refund', reason: 'late_payment' };
  }
  if (!open) return { kind: 'none' };
  if (view.status === 'failed') {
    return {
      kind: 'close',
      to: 'failed',
      code: view.failure?.code ?? 'declined',
      message: view.failure?.message ?? '',
    };
  }
  if (view.status === 'cancelled') {
    return { kind: 'close', to: 'cancelled', code: 'cancelled', message: view.failure?.message ?? '' };
  }
  return { kind: 'none' };
}

export interface PriceRules {
  /** KRW */
  face_value: number;
  /** basis points: 1000 = 10 % */
  discount_bp: number;
}

/** The price of `face_value` KRW of vouchers: integers only, rounded down to the won. */
export function priceOf({ face_value, discount_bp }: PriceRules): number {
  return Math.floor((face_value * (10_000 - discount_bp)) / 10_000);
}

/**
 * What an order is called where a person reads it: "상품권 50,000원", "Vouchers, KRW 50,000". The provider's record
 * of the payment (its console, the card company's window and receipt) keeps the Korean one: one name for the
 * city's accounts, and a Korean card company's window is in Korean anyway.
 */
export function orderName(faceValue: number, lang: 'ko' | 'en'): string {
  return lang === 'en'
    ? `Vouchers, KRW ${faceValue.toLocaleString('en')}`
    : `상품권 ${faceValue.toLocaleString('ko-KR')}원`;
}

/** The discount as people read it: 1000 basis points are "10", 1250 are "12.5". */
export function discountPercent(discount_bp: number): string {
  return (discount_bp / 100).toLocaleString('en', { maximumFractionDigits: 2 });
}

/** The voucher units an order issues: face value split into the campaign's voucher unit. */
export function voucherUnits(faceValue: number, unit: number): number[] {
  if (unit <= 0 || faceValue % unit !== 0)
    throw new Error(`face value ${faceValue} is not in units of ${unit}`);
  return Array.from({ length: faceValue / unit }, () => unit);
}

/** The last day a voucher is valid as its holder reads it: the date (yyyy-MM-dd) in the campaign's time zone. */
export function validUntilDay(validUntil: Date, timeZone: string): string {
  return DateTime.fromJSDate(validUntil, { zone: timeZone }).toFormat('yyyy-MM-dd');
}

/** When an open order stops being held: its checkout time, never past the award's deadline. */
export function holdUntil(now: Date, checkoutMinutes: number, deadline: Date | null): Date {
  const end = now.getTime() + checkoutMinutes * 60_000;
  return new Date(deadline ? Math.min(end, deadline.getTime()) : end);
}

/** When the reconciler asks again about an open order: soon at first, then backing off to a minute. */
export function nextCheckDelayMs(checks: number): number {
  return Math.min(60_000, 5_000 * 2 ** Math.min(checks, 4));
}
