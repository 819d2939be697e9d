// An application as a client sends it (JSON or the no-JavaScript form) and the receipt it gets back.
import { z } from 'zod';
import { MAX_AMOUNT, safeText } from '../../fields.js';

const siteId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'validation.pickup_site_unknown');

/** Form selects send '' for "no choice"; ranked sites come as site_1..site_5 or a JSON array. */
export const applicationSchema = z
  .object({
    amount: z.preprocess(
      (v) => (typeof v === 'string' && /^\s*[\d,]+\s*$/.test(v) ? Number(v.replace(/[,\s]/g, '')) : v),
      z
        .number({ error: 'validation.amount_choose' })
        .int('validation.whole_number')
        .min(1, 'validation.amount_choose')
        .max(MAX_AMOUNT, 'validation.amount_too_large'),
    ),
    sites: z.array(siteId).max(10).default([]),
    group: safeText(60).default(''),
    region: safeText(100).optional(),
  })
  .meta({ id: 'ApplicationRequest' });

export type ApplicationBody = z.infer<typeof applicationSchema>;

/** Folds the form's site_1..site_5 selects into a ranked list (blank choices dropped). */
export function fromForm(body: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(body.sites)) return body;
  const sites: string[] = [];
  for (let i = 1; i <= 5; i++) {
    const v = body[`site_${i}`];
    if (typeof v === 'string' && v.trim() !== '') sites.push(v.trim());
  }
  const region = typeof body.region === 'string' && body.region !== '' ? body.region : undefined;
  return { ...body, sites, region };
}

export const proxyApplicationSchema = applicationSchema
  .extend({ subject_token: z.string().min(10).max(4000) })
  .meta({ id: 'ProxyApplicationRequest' });

export const receiptSchema = z
  .object({
    public_id: z.string(),
    campaign_id: z.uuid(),
    campaign_code: z.string(),
    status: z.enum(['active', 'withdrawn']),
    channel: z.enum(['web', 'sms', 'proxy', 'api']),
    amount: z.number().int(),
    unit: z.enum(['KRW', 'item']),
    sites: z.array(z.object({ id: z.string(), name_ko: z.string(), name_en: z.string() })),
    group: z.string(),
    version: z.number().int(),
    applied_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Receipt' });

const siteDetails = z.object({
  id: z.string(),
  name_ko: z.string(),
  name_en: z.string(),
  district: z.string(),
  address: z.string(),
  /** '' when not given: English readers are shown the Korean */
  district_en: z.string().optional(),
  address_en: z.string().optional(),
  phone: z.string().optional(),
  hours_ko: z.string().optional(),
  hours_en: z.string().optional(),
  lat: z.number().nullable().optional(),
  lng: z.number().nullable().optional(),
  map_url: z.string().nullable(),
});

/** The outcome after the draw (commands/residentResult.ts); null before it. */
export const resultSchema = z
  .object({
    kind: z.enum(['won', 'collected', 'expired', 'refused', 'waitlisted', 'lost', 'not_in_draw']),
    public_id: z.string(),
    campaign_id: z.uuid(),
    amount: z.number().int().nullable(),
    unit: z.enum(['KRW', 'item']),
    promoted: z.boolean(),
    site: siteDetails.nullable(),
    slot: z.object({ id: z.string(), starts_at: z.string(), ends_at: z.string() }).nullable(),
    any_time_until_deadline: z.boolean(),
    claim_deadline: z.string().nullable(),
    claim_code: z.string().nullable(),
    qr_payload: z.string().nullable(),
    bring: z.array(z.object({ kind: z.enum(['claim_code', 'id_card', 'group_proof']) }).loose()),
    waitlist: z.number().int().nullable(),
    collected_at: z.string().nullable(),
    expired_at: z.string().nullable(),
    claim_closes_at: z.string(),
    audit_url: z.string(),
  })
  .meta({ id: 'ResidentResult' });
