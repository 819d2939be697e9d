import { z } from 'zod';
import { safeText } from '../../fields.js';

export const proxyRegistrationSchema = z
  .object({
    phone: z.string().trim().min(1, 'validation.required').max(40),
    birth_date: z.string().trim().min(1, 'validation.required').max(20),
    kind: z.enum(['family', 'staff']),
    label: safeText(200).default(''),
    // one fault for any cap outside 1..500, worded with both ends (the words name them: keep them in step)
    cap: z.preprocess(
      (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
      z
        .number({ error: 'validation.proxy_cap' })
        .int('validation.proxy_cap')
        .min(1, 'validation.proxy_cap')
        .max(500, 'validation.proxy_cap'),
    ),
  })
  .meta({ id: 'ProxyRegistration', description: 'A helper who may apply for up to `cap` people' });

export const subjectCodeSchema = z
  .object({
    phone: z.string().trim().min(1, 'validation.required').max(40),
    birth_date: z.string().trim().min(1, 'validation.required').max(20),
    lang: z.enum(['ko', 'en']).optional(),
  })
  .meta({
    id: 'SubjectCodeRequest',
    description: "The helped person's phone and birth date; the code goes to them",
  });
