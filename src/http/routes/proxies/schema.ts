import { z } from 'zod';
import { safeText } from '../../fields.js';

export const proxyRegistrationSchema = z
  .object({
    phone: z.string().trim().min(1, 'Required').max(40),
    birth_date: z.string().trim().min(1, 'Required').max(20),
    kind: z.enum(['family', 'staff']),
    label: safeText(200).default(''),
    cap: z.preprocess(
      (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
      z.number().int().min(1).max(500),
    ),
  })
  .meta({ id: 'ProxyRegistration', description: 'A helper who may apply for up to `cap` people' });

export const subjectCodeSchema = z
  .object({
    phone: z.string().trim().min(1, 'Required').max(40),
    birth_date: z.string().trim().min(1, 'Required').max(20),
    lang: z.enum(['ko', 'en']).optional(),
  })
  .meta({
    id: 'SubjectCodeRequest',
    description: "The helped person's phone and birth date; the code goes to them",
  });
