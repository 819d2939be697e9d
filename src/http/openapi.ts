// The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with (z.toJSONSchema).
import { z } from 'zod';
import {
  applicationSchema,
  proxyApplicationSchema,
  receiptSchema,
  resultSchema,
} from './routes/applications/schema.js';
import {
  codeRequestSchema,
  codeSentSchema,
  codeVerifySchema,
  oidcTokenSchema,
  sessionReplySchema,
} from './routes/identity/schema.js';
import { proxyRegistrationSchema, subjectCodeSchema } from './routes/proxies/schema.js';
import { credentialsSchema, passwordChangeSchema } from './routes/staff/schema.js';
import { twilioInboundSchema } from './routes/webhooks/schema.js';

type Op = {
  summary: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  body?: z.ZodType;
  bodyType?: string;
  ok: { status: number; schema?: z.ZodType; description?: string };
  errors: string[];
  params?: string[];
};

const resident = [{ residentToken: [] }];
const staff = [{ staffBearer: [] }];
const receiptReply = z.object({ receipt: receiptSchema });

/** Operations of the identity-verified intake; other modules can add theirs to this map. */
export const OPERATIONS: Record<string, Record<string, Op>> = {
  '/api/identity/codes': {
    post: {
      summary: 'Send a 6-digit one-time code by SMS or email (5 minutes, 5 attempts, rate-limited)',
      tags: ['identity'],
      body: codeRequestSchema,
      ok: { status: 202, schema: codeSentSchema },
      errors: ['validation_failed', 'rate_limited'],
    },
  },
  '/api/identity/verify': {
    post: {
      summary: 'Check the code; returns a short-lived resident session token',
      tags: ['identity'],
      body: codeVerifySchema,
      ok: { status: 200, schema: sessionReplySchema },
      errors: ['validation_failed', 'code_invalid', 'code_expired', 'code_exhausted', 'rate_limited'],
    },
  },
  '/api/identity/oidc/nonce': {
    post: {
      summary: 'A nonce to put in the OpenID Connect request, and its signed proof',
      tags: ['identity'],
      ok: { status: 200 },
      errors: [],
    },
  },
  '/api/identity/oidc': {
    post: {
      summary:
        'Sign in with an ID token from the configured provider (issuer, audience, expiry, nonce, pinned algorithms)',
      tags: ['identity'],
      body: oidcTokenSchema,
      ok: { status: 200, schema: sessionReplySchema },
      errors: ['invalid_token', 'oidc_unavailable'],
    },
  },
  '/api/campaigns/{id}/sites': {
    get: {
      summary: "The campaign's pickup sites (?district= to filter)",
      tags: ['applications'],
      params: ['id'],
      ok: { status: 200 },
      errors: ['not_found'],
    },
  },
  '/api/campaigns/{id}/application': {
    post: {
      summary:
        'Apply (once per person; a second attempt gets duplicate_application with the existing receipt)',
      tags: ['applications'],
      security: resident,
      params: ['id'],
      body: applicationSchema,
      ok: { status: 201, schema: receiptReply },
      errors: [
        'validation_failed',
        'not_eligible',
        'duplicate_application',
        'campaign_not_open',
        'campaign_closed',
        'unauthenticated',
      ],
    },
    get: {
      summary:
        'Your application and, after the draw, its outcome (what, where, when, claim code, what to bring)',
      tags: ['applications'],
      security: resident,
      params: ['id'],
      ok: { status: 200, schema: z.object({ receipt: receiptSchema, result: resultSchema.nullable() }) },
      errors: ['not_found'],
    },
    put: {
      summary: 'Change your application until the window closes (database clock)',
      tags: ['applications'],
      security: resident,
      params: ['id'],
      body: applicationSchema,
      ok: { status: 200, schema: receiptReply },
      errors: ['validation_failed', 'not_eligible', 'campaign_closed', 'not_found'],
    },
    delete: {
      summary: 'Withdraw until the window closes; applying again revives it with the same public id',
      tags: ['applications'],
      security: resident,
      params: ['id'],
      ok: { status: 200, schema: receiptReply },
      errors: ['campaign_closed', 'not_found'],
    },
  },
  '/api/proxy/codes': {
    post: {
      summary: "A registered helper asks for a code sent to the helped person's phone",
      tags: ['proxy'],
      security: resident,
      body: subjectCodeSchema,
      ok: { status: 202, schema: codeSentSchema },
      errors: ['not_a_proxy', 'rate_limited'],
    },
  },
  '/api/proxy/verify': {
    post: {
      summary: "Check the helped person's code; returns a subject token bound to the helper (10 minutes)",
      tags: ['proxy'],
      security: resident,
      body: codeVerifySchema,
      ok: { status: 200 },
      errors: ['not_a_proxy', 'code_invalid', 'code_expired', 'code_exhausted'],
    },
  },
  '/api/proxy/campaigns/{id}/applications': {
    post: {
      summary: 'Apply for the helped person (channel proxy, audited, counted against the helper cap)',
      tags: ['proxy'],
      security: resident,
      params: ['id'],
      body: proxyApplicationSchema,
      ok: { status: 201, schema: receiptReply },
      errors: ['not_a_proxy', 'proxy_cap_reached', 'duplicate_application', 'campaign_closed'],
    },
  },
  '/api/admin/proxies': {
    post: {
      summary: 'Register a helper with a cap',
      tags: ['admin'],
      security: staff,
      body: proxyRegistrationSchema,
      ok: { status: 201 },
      errors: ['validation_failed', 'forbidden'],
    },
    get: {
      summary: 'Registered helpers',
      tags: ['admin'],
      security: staff,
      ok: { status: 200 },
      errors: ['forbidden'],
    },
  },
  '/api/admin/campaigns/{id}/intake': {
    get: {
      summary: 'Applications per hour, per channel and per group, live',
      tags: ['admin'],
      security: staff,
      params: ['id'],
      ok: { status: 200 },
      errors: ['forbidden', 'not_found'],
    },
  },
  '/api/admin/campaigns/{id}/purge-contacts': {
    post: {
      summary: 'Erase contact details kept for a finished or cancelled campaign',
      tags: ['admin'],
      security: staff,
      params: ['id'],
      ok: { status: 200 },
      errors: ['invalid_transition'],
    },
  },
  '/api/staff/session': {
    post: {
      summary:
        'Staff sign-in by password: a bearer token and its CSRF token. 10 wrong tries per account and 30 per ' +
        'address in 15 minutes, then 429 with Retry-After',
      tags: ['staff'],
      body: credentialsSchema,
      ok: { status: 200 },
      errors: ['validation_failed', 'invalid_credentials', 'rate_limited', 'busy'],
    },
    delete: {
      summary: 'Sign out: the session ends and its token stops working (a cookie session needs X-CSRF-Token)',
      tags: ['staff'],
      security: staff,
      ok: { status: 204 },
      errors: ['csrf_failed'],
    },
  },
  '/api/staff/password': {
    post: {
      summary: 'Change your password; every session of the account ends (sign in again)',
      tags: ['staff'],
      security: staff,
      body: passwordChangeSchema,
      ok: { status: 204 },
      errors: [
        'validation_failed',
        'invalid_credentials',
        'rate_limited',
        'unauthenticated',
        'invalid_token',
      ],
    },
  },
  '/api/admin/staff/{id}/disable': {
    post: {
      summary: 'Disable a staff account (admin); its sessions end at once',
      tags: ['admin'],
      security: staff,
      params: ['id'],
      ok: { status: 204 },
      errors: ['forbidden', 'not_found', 'conflict'],
    },
  },
  '/webhooks/twilio/inbound': {
    post: {
      summary:
        'Inbound SMS commands (신청/APPLY, 상태/STATUS, 취소/CANCEL, 도움말/HELP); X-Twilio-Signature required ' +
        '(outside production with no TWILIO_AUTH_TOKEN set, unsigned requests are accepted and answered with ' +
        'X-Signature-Check: skipped)',
      tags: ['sms'],
      body: twilioInboundSchema,
      bodyType: 'application/x-www-form-urlencoded',
      ok: { status: 200, description: 'Empty TwiML; the reply is queued as an SMS' },
      errors: ['invalid_signature'],
    },
  },
};

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: { type: 'object', additionalProperties: { type: 'string' } },
        details: { type: 'object' },
        request_id: { type: 'string' },
      },
    },
  },
};

const json = (s: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' });

let cached: object | undefined;

export function openApiDocument(serverUrl: string): object {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(OPERATIONS)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(ops)) {
      paths[path][method] = {
        summary: op.summary,
        tags: op.tags,
        ...(op.security ? { security: op.security } : {}),
        ...(op.params
          ? {
              parameters: op.params.map((name) => ({
                name,
                in: 'path',
                required: true,
                schema: { type: 'string', format: 'uuid' },
              })),
            }
          : {}),
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: { [op.bodyType ?? 'application/json']: { schema: json(op.body, 'input') } },
              },
            }
          : {}),
        responses: {
          [op.ok.status]: {
            description: op.ok.description ?? 'OK',
            ...(op.ok.schema
              ? { content: { 'application/json': { schema: json(op.ok.schema, 'output') } } }
              : {}),
          },
          default: {
            description: `Error; codes: ${op.errors.join(', ') || 'see error.code'}`,
            content: { 'application/json': { schema: errorSchema } },
          },
        },
      };
    }
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Fair allocation API',
      version: '1',
      description: 'Identity-verified applications (web, SMS, API, proxy). Errors carry a stable code.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        residentToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Resident-Token',
          description: 'from /api/identity/verify or /api/identity/oidc',
        },
        staffBearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
    paths,
  };
  return cached;
}
