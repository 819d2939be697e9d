// The campaign a client sends (JSON or the admin form), parsed into the domain's CampaignInput.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { BEACON_SOURCE_MAX, BEACON_SOURCE_MIN } from '../../../domain/beacon.js';
import {
  CANCEL_MESSAGE_MAX,
  type CampaignDraft,
  type CampaignInput,
  DEFAULT_VERIFICATION_METHODS,
  DRAW_ONLY_FIELDS,
  DRAW_RULE_DEFAULTS,
  GROUP_CHECKS,
  instantSchedule,
  notForInstant,
  type SlotInput,
  VERIFICATION_METHODS,
  validateCampaign,
} from '../../../domain/campaign.js';
import { type CampaignContact, CONTACT_MAX, contactProblems } from '../../../domain/contact.js';
import { type Problem, problem } from '../../../domain/errors.js';
import {
  inMomentRange,
  MAX_AMOUNT,
  MAX_CAPACITY,
  MAX_WEIGHT,
  oneLine,
  phoneText,
  plainText,
  safeText,
} from '../../fields.js';
import { invalid, parseFields } from '../../validate.js';

const blank = (v: unknown) => (v === '' || v === null ? undefined : v);

// Form fields arrive as strings; JSON as numbers. Blank stays blank so "required" reads right. Messages are keys
// of the validation catalogue (http/problems.ts). A number past the range is "at most", whole or not: a huge one
// is past what a double holds exactly, and "not a whole number" misled.
const int = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v),
    z
      .number({
        error: (iss) => (blank(iss.input) === undefined ? 'validation.required' : 'validation.whole_number'),
      })
      .min(min, 'validation.at_least')
      .max(max, 'validation.at_most')
      .multipleOf(1, 'validation.whole_number'),
  );
const text = safeText;
const moment = z.string({ error: 'validation.required' }).trim().min(1, 'validation.required');
/** What the API's description says of a draw-only field sent for an instant sale (domain notForInstant). */
const FOR_INSTANT = 'for it, leave out, null or blank; any other value is refused (not_for_instant)';
const MOMENT_FOR_INSTANT =
  'For instant: leave out, null or blank, or the value a read shows (set from closes_at: draw_at and ' +
  'claim_opens_at at it, claim_closes_at a day later); any other value is refused (not_for_instant)';
const RULE_FOR_INSTANT =
  'For instant: leave out, null or blank, or the default (the value a read shows); any other is refused ' +
  '(not_for_instant)';

/**
 * A draw's moment: a lottery's and a reservation's are required (parseCampaignBody says so, naming the field); an
 * instant sale has none, so blank or absent is not a fault there, and any other value but its own (instantSchedule)
 * is refused (domain notForInstant).
 */
const drawMoment = z.preprocess(
  (v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v),
  z.string({ error: 'validation.required' }).trim().optional(),
);

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
    .min(1, 'validation.required') // blank: "required", not "letters and digits only"
    .regex(/^[A-Za-z0-9_-]{0,60}$/, 'validation.slot_id_format'),
  site_id: z.string().trim().min(1, 'validation.required'),
  starts_at: moment,
  ends_at: moment,
  capacity: int(0, MAX_CAPACITY),
});

/** Blank, null or left out: none, as the database keeps it (null). */
const orNone = (s: z.ZodType<string, string>) => s.nullish().transform((v) => v || null);
const digitCount = (s: string) => s.replace(/\D/g, '').length;

/**
 * The campaign's own contact (domain/contact.ts), each part optional; once any is given the domain asks for a name
 * and a phone or an email. A phone has 3 (120) to 15 (E.164) digits; a bare "-" dials nothing.
 */
export const contactSchema = z.object({
  contact_name_ko: orNone(oneLine(CONTACT_MAX.name)),
  contact_name_en: orNone(oneLine(CONTACT_MAX.name)),
  contact_phone: orNone(
    phoneText(CONTACT_MAX.phone).refine(
      (s) => s === '' || (digitCount(s) >= 3 && digitCount(s) <= 15),
      'validation.phone_digits',
    ),
  ),
  contact_email: orNone(
    safeText(CONTACT_MAX.email).refine(
      (s) => s === '' || z.regexes.email.test(s),
      'validation.contact_email_format',
    ),
  ),
  contact_hours_ko: orNone(oneLine(CONTACT_MAX.hours)),
  contact_hours_en: orNone(oneLine(CONTACT_MAX.hours)),
});

const inBothLanguages = z.object({ ko: z.string().nullable(), en: z.string().nullable() });
/** The contact as the API shows it (present.ts presentContact), for the OpenAPI document. */
export const contactReplySchema = z.object({
  name: inBothLanguages,
  phone: z.string().nullable(),
  email: z.string().nullable(),
  hours: inBothLanguages,
});

/**
 * The campaign's own beacon (null: the service's BEACON_SOURCE): one line naming the public value, published after
 * the close, that the draw's seed takes. Written as it is committed: BEACON_SOURCE's {closes_at} is not filled in
 * here, so a sentence still holding it would name no moment.
 */
export const beaconSourceSchema = orNone(
  oneLine(BEACON_SOURCE_MAX)
    .refine((s) => s === '' || s.length >= BEACON_SOURCE_MIN, {
      message: 'validation.min_chars',
      params: { min: BEACON_SOURCE_MIN },
    })
    .refine((s) => !s.includes('{closes_at}'), 'validation.beacon_source_placeholder'),
).meta({
  description:
    'The public, future, unpredictable value the draw seeds with, in a sentence (e.g. "동행복권 로또 6/45 ' +
    '제1150회 당첨번호 (2026-12-12 추첨)"); blank, null or left out: the service default. Fixed at the opening. ' +
    `An instant sale has none: ${FOR_INSTANT}`,
});

export const campaignSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{3,12}$/, 'validation.campaign_code_format')
    .transform((s) => s.toUpperCase()),
  kind: z.enum(['voucher', 'goods']),
  mode: z.enum(['lottery', 'reservation', 'instant']),
  title_ko: text(200).min(1, 'validation.required'),
  title_en: text(200).min(1, 'validation.required'),
  description_ko: text(5000).default(''),
  description_en: text(5000).default(''),
  time_zone: z
    .string()
    .default('Asia/Seoul')
    .refine((z) => IANAZone.isValidZone(z), 'validation.unknown_time_zone'),
  opens_at: moment,
  closes_at: moment,
  draw_at: drawMoment.meta({ description: `Required for lottery and reservation. ${MOMENT_FOR_INSTANT}` }),
  claim_opens_at: drawMoment.meta({
    description: `Required for lottery and reservation. ${MOMENT_FOR_INSTANT}`,
  }),
  claim_closes_at: drawMoment.meta({
    description: `Required for lottery and reservation. ${MOMENT_FOR_INSTANT}`,
  }),
  unit: z.enum(['KRW', 'item']),
  total: int(-Number.MAX_SAFE_INTEGER, MAX_AMOUNT).refine((n) => n >= 0, 'validation.total_negative'),
  denomination: int(1, MAX_AMOUNT),
  per_person_max: int(1, MAX_AMOUNT),
  partial: z
    .enum(['skip', 'partial'])
    .default(DRAW_RULE_DEFAULTS.partial)
    .meta({ description: `Lottery and reservation only. ${RULE_FOR_INSTANT}` }),
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
        name: text(60).min(1, 'validation.required'),
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
    .min(1, 'validation.verification_at_least_one')
    .default([...DEFAULT_VERIFICATION_METHODS])
    .transform((m) => [...new Set(m)]),
  unclaimed_policy: z
    .enum(['pass_down', 'return'])
    .default(DRAW_RULE_DEFAULTS.unclaimed_policy)
    .meta({ description: `Lottery and reservation only. ${RULE_FOR_INSTANT}` }),
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
          .regex(/^\d{1,2}(\.\d{1,2})?$/, 'validation.percent_format'),
      ])
      .transform(Number)
      .refine((n) => n >= 0 && n < 100 && Math.round(n * 100) === n * 100, 'validation.percent_range')
      .default(0),
  ),
  voucher_valid_days: z.preprocess(blank, int(1, 3650).default(1825)),
  checkout_minutes: z
    .preprocess(blank, int(1, 1440).default(DRAW_RULE_DEFAULTS.checkout_minutes))
    .meta({ description: `A winner's checkout hold: lottery and reservation only. ${RULE_FOR_INSTANT}` }),
  claim_period_hours: z
    .preprocess(blank, int(1, 24 * 366).default(DRAW_RULE_DEFAULTS.claim_period_hours))
    .meta({ description: `Lottery and reservation only. ${RULE_FOR_INSTANT}` }),
  slots: z.array(slotSchema).max(100_000).default([]),
  beacon_source: beaconSourceSchema,
  ...contactSchema.shape,
});

export type CampaignBody = z.infer<typeof campaignSchema>;

/** ISO 8601 with an offset is taken as is; a bare local time ("2026-12-01T08:00") is read in the campaign's zone. */
export function toInstant(value: string, zone: string): Date | undefined {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const dt = hasOffset ? DateTime.fromISO(value, { setZone: true }) : DateTime.fromISO(value, { zone });
  return dt.isValid ? dt.toJSDate() : undefined;
}

type ScheduleField = (typeof SCHEDULE_FIELDS)[number];

/**
 * The campaign in a request, or a refusal naming every fault found in it at once: each field's own check, dates
 * that are not dates, and the campaign's rules (domain validateCampaign) across the fields that could be read.
 * Rules needing what only the database knows (existing sites, a taken code) are the command's. An instant sale
 * has no draw: what only a draw has is judged as sent (domain notForInstant), then set to what the sale has.
 */
export function parseCampaignBody(body: unknown): CampaignInput {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const instant = raw.mode === 'instant';
  // for a sale, null or blank in a draw's field is as if left out: the sale's own value
  const read = instant
    ? {
        ...raw,
        ...Object.fromEntries(
          DRAW_ONLY_FIELDS.filter((k) => blank(raw[k]) === undefined).map((k) => [k, undefined]),
        ),
      }
    : raw;
  const { data: b, problems } = parseFields(campaignSchema, read);
  // a zone that is not one is reported; the moments are still read, to report theirs
  const zone = b.time_zone ?? 'Asia/Seoul';
  const at = (value: string, key: string): Date | undefined => {
    const d = toInstant(value, zone);
    if (!d) problems.push(problem(key, 'not_a_moment'));
    else if (!inMomentRange(d)) problems.push(problem(key, 'moment_range'));
    else return d;
    return undefined;
  };
  const schedule: Partial<Record<ScheduleField, Date>> = {};
  for (const k of SCHEDULE_FIELDS) {
    const value = b[k];
    if (value !== undefined) {
      const d = at(value, k);
      if (d) schedule[k] = d;
    } else if (!instant && k in b) {
      // a draw's moment read as blank (one that failed its check is not in b, and is reported): a lottery and a
      // reservation need it, as does a campaign whose mode could not be read
      problems.push(problem(k, 'required'));
    }
  }
  const slots = b.slots?.map((s, i) => ({
    ...s,
    starts_at: at(s.starts_at, `slots.${i}.starts_at`),
    ends_at: at(s.ends_at, `slots.${i}.ends_at`),
  }));
  const readSlots = slots?.every((s) => s.starts_at && s.ends_at) ? (slots as SlotInput[]) : undefined;
  const ages = b.eligibility;
  if (ages?.min_age !== undefined && ages.max_age !== undefined && ages.min_age > ages.max_age)
    problems.push(problem('eligibility.max_age', 'max_age_below_min'));

  const {
    discount_percent,
    slots: _slots,
    opens_at: _o,
    closes_at: _c,
    draw_at: _d,
    claim_opens_at: _co,
    claim_closes_at: _cc,
    ...rest
  } = b;
  const sent: CampaignDraft = {
    ...rest,
    ...schedule,
    ...(readSlots ? { slots: readSlots } : {}),
    ...(discount_percent !== undefined ? { discount_bp: Math.round(discount_percent * 100) } : {}),
  };
  // a sale's draw field that is not even of its kind (not a moment, not a number) is no less one it does not have
  const faults = instant ? [...problems.map(asNotForInstant), ...notForInstant(sent)] : problems;
  const draft: CampaignDraft =
    instant && sent.closes_at ? { ...sent, ...instantSchedule(sent.closes_at) } : sent;
  if (faults.length > 0) throw invalid([...faults, ...validateCampaign(draft)]);
  // nothing refused: every field of the schema was read (each has a value or a default)
  return draft as CampaignInput;
}

/** A fault in a field only a draw has, found in an instant sale: the field itself is the fault. */
function asNotForInstant(p: Problem): Problem {
  const field = p.field.split('.')[0] as (typeof DRAW_ONLY_FIELDS)[number];
  return DRAW_ONLY_FIELDS.includes(field) ? problem(field, 'not_for_instant') : p;
}

/** A contact alone (PUT …/contact): each field's faults and the domain's rule over the fields read, all at once. */
export function parseContactBody(body: unknown): Required<CampaignContact> {
  const { data, problems } = parseFields(contactSchema, body);
  problems.push(...contactProblems(data));
  if (problems.length > 0) throw invalid(problems);
  // nothing refused: every field was read (blank is null)
  return data as Required<CampaignContact>;
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
  confirm: z.literal('on', { error: 'validation.cancel_confirm' }),
});
