// The campaign a client sends (JSON or the admin form), parsed into the domain's CampaignInput.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import {
  CANCEL_MESSAGE_MAX,
  type CampaignInput,
  DEFAULT_VERIFICATION_METHODS,
  GROUP_CHECKS,
  VERIFICATION_METHODS,
} from '../../../domain/campaign.js';
import { DomainError, type FieldErrors } from '../../../domain/errors.js';
import {
  inMomentRange,
  MAX_AMOUNT,
  MAX_CAPACITY,
  MAX_WEIGHT,
  MOMENT_RANGE_MESSAGE,
  plainText,
  safeText,
} from '../../fields.js';
import { parse } from '../../validate.js';

// Form fields arrive as strings; JSON as numbers. Blank stays blank so "required" reads right.
const int = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v),
    z
      .number({ error: 'Must be a whole number' })
      .int('Must be a whole number')
      .min(min, `Must be at least ${min}`)
      .max(max, `Must be at most ${max}`),
  );
const text = safeText;
const blank = (v: unknown) => (v === '' || v === null ? undefined : v);
const moment = z.string({ error: 'Required' }).trim().min(1, 'Required');

export const SCHEDULE_FIELDS = [
  'opens_at',
  'closes_at',
  'draw_at',
  'claim_opens_at',
  'claim_closes_at',
] as const;

export const slotSchema = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,60}$/, 'Letters, digits, - and _ only'),
  site_id: z.string().trim().min(1, 'Required'),
  starts_at: moment,
  ends_at: moment,
  capacity: int(0, MAX_CAPACITY),
});

export const campaignSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{3,12}$/, '3 to 12 letters or digits, used in SMS commands')
    .transform((s) => s.toUpperCase()),
  kind: z.enum(['voucher', 'goods']),
  mode: z.enum(['lottery', 'reservation', 'instant']),
  title_ko: text(200).min(1, 'Required'),
  title_en: text(200).min(1, 'Required'),
  description_ko: text(5000).default(''),
  description_en: text(5000).default(''),
  time_zone: z
    .string()
    .default('Asia/Seoul')
    .refine((z) => IANAZone.isValidZone(z), 'Unknown time zone'),
  opens_at: moment,
  closes_at: moment,
  draw_at: moment,
  claim_opens_at: moment,
  claim_closes_at: moment,
  unit: z.enum(['KRW', 'item']),
  total: int(-Number.MAX_SAFE_INTEGER, MAX_AMOUNT).refine(
    (n) => n >= 0,
    'The budget or stock cannot be negative',
  ),
  denomination: int(1, MAX_AMOUNT),
  per_person_max: int(1, MAX_AMOUNT),
  partial: z.enum(['skip', 'partial']).default('skip'),
  eligibility: z
    .object({
      regions: z.array(text(100).min(1)).max(500).default([]),
      min_age: int(0, 150).optional(),
      max_age: int(0, 150).optional(),
      birth_year_rotation: z.boolean().default(false),
    })
    .default({ regions: [], birth_year_rotation: false }),
  groups: z
    .array(
      z.object({
        name: text(60).min(1, 'Required'),
        name_ko: text(100).optional(),
        name_en: text(100).optional(),
        proof_ko: text(200).optional(),
        proof_en: text(200).optional(),
        reserved: int(0, MAX_AMOUNT),
        weight: int(1, MAX_WEIGHT).default(1),
        // 'declared' is the default and is not stored, so groups made before the choice existed read the same
        check: z
          .enum(GROUP_CHECKS)
          .optional()
          .transform((c) => (c === 'declared' ? undefined : c)),
        min_age: int(0, 150).optional(),
      }),
    )
    .max(20)
    .default([]),
  verification_methods: z
    .array(z.enum(VERIFICATION_METHODS))
    .min(1, 'Allow at least one way to verify')
    .default([...DEFAULT_VERIFICATION_METHODS])
    .transform((m) => [...new Set(m)]),
  unclaimed_policy: z.enum(['pass_down', 'return']).default('pass_down'),
  // Voucher price and issue rules: a blank form field is "not given" (the default applies).
  voucher_unit: z.preprocess(blank, int(1, MAX_AMOUNT).nullable().default(null)),
  discount_percent: z.preprocess(
    blank,
    z
      .union([
        z.number(),
        z
          .string()
          .trim()
          .regex(/^\d{1,2}(\.\d{1,2})?$/, 'A percentage like 10 or 7.5'),
      ])
      .transform(Number)
      .refine(
        (n) => n >= 0 && n < 100 && Math.round(n * 100) === n * 100,
        'From 0 to 99.99, two decimals at most',
      )
      .default(0),
  ),
  voucher_valid_days: z.preprocess(blank, int(1, 3650).default(1825)),
  checkout_minutes: z.preprocess(blank, int(1, 1440).default(30)),
  claim_period_hours: z.preprocess(blank, int(1, 24 * 366).default(72)),
  slots: z.array(slotSchema).max(100_000).default([]),
});

export type CampaignBody = z.infer<typeof campaignSchema>;

/** ISO 8601 with an offset is taken as is; a bare local time ("2026-12-01T08:00") is read in the campaign's zone. */
export function toInstant(value: string, zone: string): Date | undefined {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const dt = hasOffset ? DateTime.fromISO(value, { setZone: true }) : DateTime.fromISO(value, { zone });
  return dt.isValid ? dt.toJSDate() : undefined;
}

export function parseCampaignBody(body: unknown): CampaignInput {
  const b = parse(campaignSchema, body);
  const fields: FieldErrors = {};
  const at = (value: string, key: string): Date => {
    const d = toInstant(value, b.time_zone);
    if (!d) fields[key] = 'Not a date and time (use 2026-12-01T08:00 or ISO 8601)';
    else if (!inMomentRange(d)) fields[key] = MOMENT_RANGE_MESSAGE;
    return d ?? new Date(0);
  };
  const schedule = Object.fromEntries(SCHEDULE_FIELDS.map((k) => [k, at(b[k], k)])) as Record<
    (typeof SCHEDULE_FIELDS)[number],
    Date
  >;
  const slots = b.slots.map((s, i) => ({
    ...s,
    starts_at: at(s.starts_at, `slots.${i}.starts_at`),
    ends_at: at(s.ends_at, `slots.${i}.ends_at`),
  }));
  const { min_age, max_age } = b.eligibility;
  if (min_age !== undefined && max_age !== undefined && min_age > max_age) {
    fields['eligibility.max_age'] = 'The maximum age must not be below the minimum age';
  }
  if (Object.keys(fields).length > 0)
    throw new DomainError('validation_failed', 'Some fields are not valid', { fields });
  const { discount_percent, ...rest } = b;
  return { ...rest, discount_bp: Math.round(discount_percent * 100), ...schedule, slots };
}

export const versionSchema = z.object({ version: int(1, 2 ** 31 - 1) });
export const reasonSchema = z.object({ reason: text(500).default('') });
/** A cancel: staff's reason for the audit log, and what residents are told in each language (all optional). */
export const cancelSchema = reasonSchema.extend({
  message_ko: plainText(CANCEL_MESSAGE_MAX).default(''),
  message_en: plainText(CANCEL_MESSAGE_MAX).default(''),
});
/** The admin page's cancel also needs its box ticked: it cannot be undone. */
export const cancelFormSchema = cancelSchema.extend({
  confirm: z.literal('on', { error: 'Tick the box to confirm: a cancel cannot be undone' }),
});
