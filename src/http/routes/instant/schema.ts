// Request shapes of the instant sale: a purchase (quantity, idempotency key, admission token), room rules.
import { z } from 'zod';
import { safeText } from '../../fields.js';

export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_:.-]{8,100}$/, '8 to 100 letters, digits, _ : . or -');

export const purchaseSchema = z.object({
  quantity: z.coerce.number().int().min(1).max(100_000_000),
  idempotency_key: idempotencyKey,
  admission_token: z.string().min(1, 'Required').max(2000),
});

/**
 * Joining the queue: the district or city one lives in, asked when the sale is limited to regions (as the
 * application asks it); the body may be empty. A form's "no choice" ('') is no region.
 */
export const joinSchema = z
  .object({ region: z.preprocess((v) => (v === '' ? undefined : v), safeText(100).optional()) })
  .meta({ id: 'QueueJoin' });

/** Each waiting-room rule's whole-number range: the API's schema and the admin form's messages both read it. */
export const ROOM_RULE_BOUNDS = {
  prequeue_minutes: { min: 0, max: 1440 },
  admit_per_second: { min: 1, max: 100_000 },
  max_active: { min: 1, max: 1_000_000 },
  token_seconds: { min: 10, max: 3600 },
  hold_seconds: { min: 30, max: 86_400 },
  /** let in up to this much more than the stock left can serve; 0 (the default): never more */
  overbook_percent: { min: 0, max: 1000 },
} as const;

/** A whole number in range; a form's cleared field ('') is refused, not coerced to 0. */
const ruleOf = (b: { min: number; max: number }) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(b.min).max(b.max));

export const roomRulesSchema = z.object({
  prequeue_minutes: ruleOf(ROOM_RULE_BOUNDS.prequeue_minutes),
  admit_per_second: ruleOf(ROOM_RULE_BOUNDS.admit_per_second),
  max_active: ruleOf(ROOM_RULE_BOUNDS.max_active),
  token_seconds: ruleOf(ROOM_RULE_BOUNDS.token_seconds),
  hold_seconds: ruleOf(ROOM_RULE_BOUNDS.hold_seconds),
  overbook_percent: ruleOf(ROOM_RULE_BOUNDS.overbook_percent).default(0),
});

export const queuePageSchema = z.object({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
