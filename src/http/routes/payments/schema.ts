// Request bodies of the payment API: an award order (the key may also come as the Idempotency-Key header).
import { z } from 'zod';

const keySchema = z
  .string({ error: 'validation.required' })
  .trim()
  .regex(/^[A-Za-z0-9_:.-]{8,100}$/, 'validation.idempotency_key_format');

export const orderBodySchema = z.object({
  idempotency_key: keySchema,
  face_value: z.coerce.number().int().min(1).max(100_000_000).optional(),
});
