// Pickup sites (routes/sites/api.ts, routes/sites/importPages.ts): anyone lists them, admins add or change them.
import { csvBodySchema, districtQuery, siteId, siteSchema } from '../routes/sites/schema.js';
import type { Operations } from './operation.js';

export const siteOperations: Operations = {
  '/api/sites': {
    get: {
      summary: 'Every pickup site',
      tag: 'sites',
      caller: 'anyone',
      query: districtQuery,
      ok: { status: 200, description: '{ sites: [...] }' },
      errors: [],
    },
  },
  '/api/sites/{id}': {
    get: {
      summary: 'One pickup site',
      tag: 'sites',
      caller: 'anyone',
      params: { id: siteId },
      ok: { status: 200, description: '{ site }' },
      errors: [],
    },
  },
  '/api/admin/sites/{id}': {
    put: {
      summary: 'Add or replace a pickup site',
      tag: 'sites',
      caller: 'staff',
      params: { id: siteId },
      body: siteSchema,
      ok: { status: 200, description: '{ site }' },
      errors: [],
    },
  },
  '/api/admin/sites/import': {
    post: {
      summary: 'Add or replace sites from CSV; any bad row is reported with its line and nothing is imported',
      tag: 'sites',
      caller: 'staff',
      body: csvBodySchema,
      ok: { status: 201, description: '{ count }' },
      errors: [],
    },
  },
};
