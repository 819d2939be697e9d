// Request shapes of the site routes: one site (form, CSV row or JSON), its id, and a CSV file to import.
import { z } from 'zod';
import { safeText } from '../../fields.js';

// Coordinates arrive as text from forms and CSV, as numbers from JSON; blank means "not given".
const coordinate = (limit: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? null : Number(v.trim())) : v),
    z
      .number({ error: 'A number, e.g. 37.5636' })
      .min(-limit, `Between -${limit} and ${limit}`)
      .max(limit, `Between -${limit} and ${limit}`)
      .nullable()
      .default(null),
  );

export const siteSchema = z
  .object({
    name_ko: safeText(200).min(1, 'Required'),
    name_en: safeText(200).min(1, 'Required'),
    district: safeText(100).default(''),
    address: safeText(300).default(''),
    phone: safeText(40)
      .regex(/^[0-9+()\- ]*$/, 'Digits, spaces, +, ( ) and - only, e.g. 02-123-4567')
      .default(''),
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
        message: 'Give both latitude and longitude, or neither',
      });
  });
export const siteId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'Letters, digits, - and _ only, at most 40');

/** ?district= narrows a list of sites to one district. */
export const districtQuery = z.object({ district: z.string().optional() });

/** A CSV file pasted into the import form or sent as JSON (sites, a campaign's slots). */
export const csvBodySchema = z.object({ csv: z.string().max(5_000_000, 'At most 5 MB') });
