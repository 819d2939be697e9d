// The audit log's query: a subject to filter on, and the page (after a seq, so many entries).
import { z } from 'zod';

export const auditQuery = z.object({
  subject: z.string().trim().max(200).optional(),
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
