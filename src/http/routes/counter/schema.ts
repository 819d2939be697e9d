// Request bodies of the counter's JSON API.
import { z } from 'zod';
import { REFUSAL_REASONS } from '../../../commands/refuseAtCounter.js';

/** A typed claim code (10 characters, with or without the dash) or a scanned claim token (a compact JWS). */
const code = z.string().trim().min(4, 'Enter the claim code').max(2000);

export const checkSchema = z.object({ code });

export const collectSchema = z
  .object({
    code,
    /** set by a counter page syncing what it recorded while offline */
    offline_ref: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/)
      .optional(),
    handed_over_at: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((b) => (b.offline_ref === undefined) === (b.handed_over_at === undefined), {
    message: 'offline_ref and handed_over_at go together',
    path: ['offline_ref'],
  });

export const refuseSchema = z.object({
  code,
  reason: z.enum(REFUSAL_REASONS),
  note: z.string().trim().max(500).optional(),
});
