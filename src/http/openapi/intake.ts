// The admin's intake view and contact purge (routes/intake/api.ts).
import type { Operations } from './operation.js';

export const intakeOperations: Operations = {
  '/api/admin/campaigns/{id}/intake': {
    get: {
      summary: 'Applications per hour, per channel and per group, live',
      tag: 'admin',
      caller: 'staff',
      ok: { status: 200, description: '{ campaign_id, code, state, at, per_hour, ... }' },
      errors: [],
    },
  },
  '/api/admin/campaigns/{id}/purge-contacts': {
    post: {
      summary: 'Erase contact details kept for a finished or cancelled campaign',
      tag: 'admin',
      caller: 'staff',
      ok: { status: 200, description: '{ purged }' },
      errors: ['invalid_transition'],
    },
  },
};
