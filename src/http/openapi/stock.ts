// Stock per site and slot (routes/stock/api.ts), public; an admin's pickup list per site.
import { z } from 'zod';
import { siteId } from '../routes/sites/schema.js';
import type { Operations } from './operation.js';

export const stockOperations: Operations = {
  '/api/campaigns/{id}/stock': {
    get: {
      summary: 'What is left per site and slot (a snapshot at most half a second old)',
      tag: 'stock',
      caller: 'anyone',
      ok: {
        status: 200,
        // the server stays the public address: the proxy routes this path to the reads process
        description:
          'The stock view, with a weak ETag of its figures (If-None-Match with it: 304, no body); with STOCK_PORT set, the proxy sends this path to the stock reads process, same answer',
      },
      errors: [],
    },
  },
  '/api/admin/campaigns/{id}/pickups': {
    get: {
      summary: "The campaign's pickups (who collected what, where, when), all sites or one",
      tag: 'stock',
      caller: 'staff',
      // read with parseSiteId: an unknown form is not_found
      query: z.object({ site: siteId.optional() }),
      ok: { status: 200, description: '{ pickups: [...] }' },
      errors: [],
    },
  },
};
