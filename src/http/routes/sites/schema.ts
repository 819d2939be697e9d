// Request shapes of the site routes: one site (form, CSV row or JSON), its id, and a CSV file to import.
import { z } from 'zod';
import { phoneText, safeText } from '../../fields.js';

// Coordinates arrive as text from forms and CSV, as numbers from JSON; blank means "not given".
const coordinate = (limit: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? null : Number(v.trim())) : v),
    z
      .number({ error: 'validation.coordinate_number' })
      .refine((n) => Math.abs(n) <= limit, { message: 'validation.coordinate_range', params: { limit } })
      .nullable()
      .default(null),
  );

export const siteSchema = z
  .object({
    name_ko: safeText(200).min(1, 'validation.required'),
    name_en: safeText(200).min(1, 'validation.required'),
    district: safeText(100).default(''),
    district_en: safeText(100).default(''),
    address: safeText(300).default(''),
    address_en: safeText(300).default(''),
    phone: phoneText(40).default(''),
    hours_ko: safeText(200).default(''),
    hours_en: safeText(200).default(''),
    lat: coordinate(90),
    lng: coordinate(180),
  })
  .superRefine((s, ctx) => {
    if ((s.lat === null) !== (s.lng === null))
      ctx.addIssue({
        code: 'custom',
        path: [s.lat === null ? 'lat' : 'lng'],
        message: 'validation.coordinates_both',
      });
  });
export const siteId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'validation.site_id_format');

/** ?district= narrows a list of sites to one district, named in Korean (`district`) or English (`district_en`). */
export const districtQuery = z.object({ district: z.string().optional() });

/** A CSV file pasted into the import form or sent as JSON (sites, a campaign's slots). */
export const csvBodySchema = z.object({ csv: z.string().max(5_000_000, 'validation.csv_too_large') });
