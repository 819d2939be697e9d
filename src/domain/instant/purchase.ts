// An instant-sale purchase request: what a resident may ask for, and how stock is taken from its rows.
import type { FieldErrors } from '../errors.js';

export interface SaleRules {
  denomination: number;
  per_person_max: number;
}

/** A request is a multiple of the denomination, at least one, at most the per-person limit. */
export function validatePurchase(rules: SaleRules, quantity: number): FieldErrors {
  if (!Number.isSafeInteger(quantity) || quantity <= 0) return { quantity: 'Ask for at least one unit' };
  if (quantity % rules.denomination !== 0) return { quantity: `Ask in multiples of ${rules.denomination}` };
  if (quantity > rules.per_person_max) return { quantity: `At most ${rules.per_person_max} per person` };
  return {};
}

/** What an idempotency key is bound to: the same key with another request is refused, not replayed. */
export function purchaseFingerprint(campaignId: string, quantity: number): string {
  return `${campaignId}:${quantity}`;
}

/** The stock row a buyer tries first: spread by identity so concurrent buyers rarely wait on one row. */
export function homeShard(identityId: string, shards: number): number {
  let h = 0;
  for (let i = 0; i < identityId.length; i++) h = (h * 31 + identityId.charCodeAt(i)) >>> 0;
  return h % shards;
}

/** Splits an initial stock over `shards` rows in whole denominations, the remainder on the first rows. */
export function splitStock(total: number, denomination: number, shards: number): number[] {
  const units = Math.floor(total / denomination);
  const n = Math.max(1, Math.min(shards, units || 1));
  const base = Math.floor(units / n);
  const extra = units % n;
  return Array.from({ length: n }, (_, i) => (base + (i < extra ? 1 : 0)) * denomination);
}

/**
 * Takes `quantity` from rows in the order given (largest first is best), all or nothing: the plan of takes,
 * or undefined when the rows together hold less.
 */
export function planTakes(rows: ReadonlyArray<{ shard: number; remaining: number }>, quantity: number) {
  const takes: Array<{ shard: number; quantity: number }> = [];
  let left = quantity;
  for (const r of rows) {
    if (left === 0) break;
    const q = Math.min(left, r.remaining);
    if (q > 0) takes.push({ shard: r.shard, quantity: q });
    left -= q;
  }
  return left === 0 ? takes : undefined;
}
