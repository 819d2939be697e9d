// What an award order's creation decides, before anything is written: its earlier order under the key replayed
// (or refused for another request), else a refusal or the new order to insert. Checked in the order
// createAwardOrder always did, so a batched call answers as it would alone (awardOrderWrites.ts).
import type { AwardRow } from '../../db/repos/awards.js';
import type { NewOrder, OrderRow } from '../../db/repos/orders.js';
import { DomainError, problem, validationFailed } from '../../domain/errors.js';
import { holdUntil, priceOf } from '../../domain/payments/order.js';
import { heldOf } from '../awardNotices.js';
import type { OrderView } from './context.js';
import { type VoucherCampaign, voucherUnitOf } from './rules.js';

export interface AwardOrderInput {
  campaign_id: string;
  /** the award's public id (the signed-in resident's own) */
  public_id: string;
  idempotency_key: string;
  /** KRW of vouchers to buy; the whole award when absent */
  face_value?: number | undefined;
}

/** An order to create, as asked at `now`; its id and request hash are made by the caller. */
export interface AwardOrderCreate {
  kind: 'create';
  input: AwardOrderInput;
  now: Date;
  id: string;
  hashOf: (face: number) => string;
  provider: string;
}

export function viewOf(o: OrderRow, checkoutUrl?: string): OrderView {
  return {
    id: o.id,
    state: o.state,
    face_value: o.face_value,
    amount: o.amount,
    currency: o.currency,
    expires_at: o.expires_at.toISOString(),
    ...(checkoutUrl ? { checkout_url: checkoutUrl } : {}),
  };
}

function payable(c: VoucherCampaign, a: AwardRow | undefined, now: Date): asserts a is AwardRow {
  if (c.kind !== 'voucher') throw new DomainError('award_not_payable', 'Only voucher awards are paid for');
  if (!a || (a.status !== 'won' && a.status !== 'promoted')) {
    throw new DomainError('award_not_payable', 'There is no award to pay for', {
      details: { status: a?.status ?? 'none' },
    });
  }
  if (now < c.claim_opens_at)
    throw new DomainError('award_not_payable', 'Payment opens with the claim window');
  if (a.claim_deadline && a.claim_deadline <= now) {
    throw new DomainError('award_not_payable', 'The time to pay for this award has passed');
  }
}

/**
 * What a creation asks for, decided as createAwardOrder always did: its earlier order under the key (replayed,
 * or refused for another request), else a refusal or the new order to insert.
 */
export function decide(
  w: AwardOrderCreate,
  c: VoucherCampaign,
  award: AwardRow | undefined,
  earlier: OrderRow | undefined,
): { made: { order: OrderRow; replayed: true } } | { insert: NewOrder } {
  const face = w.input.face_value ?? (award ? heldOf(award).amount : 0);
  const hash = w.hashOf(face);
  if (earlier) {
    if (earlier.request_hash !== hash) {
      throw new DomainError('idempotency_key_reused', 'This idempotency key was used for another request', {
        details: { order_id: earlier.id },
      });
    }
    return { made: { order: earlier, replayed: true } };
  }
  payable(c, award, w.now);
  const unit = voucherUnitOf(c);
  const held = heldOf(award).amount;
  if (face < unit || face > held || face % unit !== 0) {
    throw validationFailed([problem('face_value', 'face_value_multiple', { unit, held })]);
  }
  return {
    insert: {
      id: w.id,
      payment_id: `fa-${w.id}`,
      purpose: 'voucher_award',
      campaign_id: c.id,
      subject: w.input.public_id,
      idempotency_key: w.input.idempotency_key,
      request_hash: hash,
      face_value: face,
      amount: priceOf({ face_value: face, discount_bp: c.discount_bp }),
      provider: w.provider,
      expires_at: holdUntil(w.now, c.checkout_minutes, award.claim_deadline),
      created_at: w.now,
    },
  };
}

/** Runs a decision, keeping a refusal as the caller's answer rather than the batch's failure. */
export function refusalOr<T>(run: () => T): T | { refused: DomainError } {
  try {
    return run();
  } catch (err) {
    if (err instanceof DomainError) return { refused: err };
    throw err;
  }
}
