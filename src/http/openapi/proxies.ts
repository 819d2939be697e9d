// Helpers who apply for others (routes/proxies/api.ts): the admin registers them, they verify the helped person.
import { codeSentSchema, codeVerifySchema } from '../routes/identity/schema.js';
import { proxyRegistrationSchema, subjectCodeSchema } from '../routes/proxies/schema.js';
import type { Operations } from './operation.js';

export const proxyOperations: Operations = {
  '/api/proxy/codes': {
    post: {
      summary: "A registered helper asks for a code sent to the helped person's phone",
      tag: 'proxy',
      caller: 'resident',
      body: subjectCodeSchema,
      ok: { status: 202, description: 'Sent', schema: codeSentSchema },
      errors: ['not_a_proxy', 'rate_limited'],
    },
  },
  '/api/proxy/verify': {
    post: {
      summary: "Check the helped person's code; returns a subject token bound to the helper (10 minutes)",
      tag: 'proxy',
      caller: 'resident',
      body: codeVerifySchema,
      ok: { status: 200, description: '{ subject_token, expires_at }' },
      errors: ['not_a_proxy', 'code_invalid', 'code_expired', 'code_exhausted', 'rate_limited'],
    },
  },
  '/api/admin/proxies': {
    post: {
      summary: 'Register a helper with a cap',
      tag: 'admin',
      caller: 'staff',
      body: proxyRegistrationSchema,
      ok: { status: 201, description: '{ proxy }' },
      errors: [],
    },
    get: {
      summary: 'Registered helpers',
      tag: 'admin',
      caller: 'staff',
      ok: { status: 200, description: '{ proxies: [...] }' },
      errors: [],
    },
  },
};
