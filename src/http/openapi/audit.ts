// The audit log (routes/audit/api.ts), a page at a time, with the hash chain's check.
import { auditQuery } from '../routes/audit/schema.js';
import type { Operations } from './operation.js';

export const auditOperations: Operations = {
  '/api/audit/log': {
    get: {
      summary: 'Audit entries in seq order after a cursor, the chain check, and the next page link',
      tag: 'audit',
      caller: 'staff',
      query: auditQuery,
      ok: { status: 200, description: '{ chain, entries: [...], next }' },
      errors: [],
    },
  },
};
