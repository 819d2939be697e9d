// Turns the operations into an OpenAPI 3.1 document: parameters, bodies and replies from the zod schemas the
// routes parse with (z.toJSONSchema), security from the caller, and each error code under its status.
import { z } from 'zod';
import type { ErrorCode } from '../../domain/errors.js';
import { RESIDENT_COOKIE } from '../../identity/residentSession.js';
import { STATUS } from '../errors.js';
import { RESIDENT_TOKEN_HEADER } from '../middleware/residentAuth.js';
import { STAFF_COOKIE } from '../middleware/staffAuth.js';
import type { Caller, Method, Operation, Operations } from './operation.js';

const SECURITY: Record<Caller, Array<Record<string, string[]>>> = {
  resident: [{ residentToken: [] }, { residentCookie: [] }],
  staff: [{ staffBearer: [] }, { staffCookie: [] }],
  anyone: [],
  twilio: [{ twilioSignature: [] }],
  payment_provider: [{ webhookSignature: [] }],
};

const SECURITY_SCHEMES = {
  residentToken: {
    type: 'apiKey',
    in: 'header',
    name: RESIDENT_TOKEN_HEADER,
    description: 'The token from POST /api/identity/verify or /api/identity/oidc',
  },
  residentCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: RESIDENT_COOKIE,
    description: "The web pages' session; unsafe methods then need the X-CSRF-Token header",
  },
  staffBearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The token from POST /api/staff/session',
  },
  staffCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: STAFF_COOKIE,
    description: "The staff pages' session; unsafe methods then need the X-CSRF-Token header",
  },
  twilioSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Twilio-Signature',
    description: 'HMAC-SHA1 of PUBLIC_URL + path + the sorted form fields, with TWILIO_AUTH_TOKEN',
  },
  webhookSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'webhook-signature',
    description: 'Standard Webhooks (with webhook-id and webhook-timestamp) over the raw body',
  },
};

const SAFE: readonly Method[] = ['get'];
const BODY_ERRORS: ErrorCode[] = [
  'validation_failed',
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
];

/** The codes an operation can answer: its own, its caller's authentication's, its body's and its ids'. */
export function errorCodesOf(path: string, method: Method, op: Operation): ErrorCode[] {
  const codes = new Set<ErrorCode>(op.errors);
  const unsafe = !SAFE.includes(method);
  if (op.caller === 'resident' || op.caller === 'staff') {
    codes.add('unauthenticated');
    codes.add('invalid_token');
    if (unsafe) codes.add('csrf_failed');
  }
  if (op.caller === 'staff') codes.add('forbidden');
  // A write's transaction waits a bounded time for its locks, then answers busy (db/transaction.ts).
  if (unsafe) codes.add('busy');
  if (op.caller === 'twilio' || op.caller === 'payment_provider') codes.add('invalid_signature');
  if (op.body) for (const c of BODY_ERRORS) codes.add(c);
  if (op.query) codes.add('validation_failed');
  if (pathParams(path).length > 0) codes.add('not_found');
  return [...codes].sort();
}

const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

type JsonSchema = { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>;
type ToSchema = (s: z.ZodType, io: 'input' | 'output') => JsonSchema;

/**
 * JSON Schema from zod, with the named parts (`.meta({ id })`) moved to components/schemas: zod points at them
 * as `#/$defs/Name`, which inside an OpenAPI document would resolve against the document, not the schema.
 * A name whose input and output shapes differ (defaults, transforms) gets the second as `Name_output`.
 */
function schemaMaker(components: Record<string, unknown>): ToSchema {
  return (s, io) => {
    const {
      $schema: _,
      $defs,
      ...schema
    } = z.toJSONSchema(s, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as JsonSchema & { $defs?: Record<string, unknown> };
    const names = new Map<string, string>();
    for (const [name, def] of Object.entries($defs ?? {})) {
      const taken =
        components[name] !== undefined && JSON.stringify(components[name]) !== JSON.stringify(def);
      names.set(name, taken ? `${name}_${io}` : name);
    }
    const relink = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(relink);
      if (v === null || typeof v !== 'object') return v;
      return Object.fromEntries(
        Object.entries(v).map(([k, inner]) =>
          k === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')
            ? [k, `#/components/schemas/${names.get(inner.slice(8)) ?? inner.slice(8)}`]
            : [k, relink(inner)],
        ),
      );
    };
    for (const [name, def] of Object.entries($defs ?? {})) components[names.get(name)!] = relink(def);
    return relink(schema) as JsonSchema;
  };
}

function parameters(json: ToSchema, path: string, op: Operation) {
  const out: object[] = pathParams(path).map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: op.params?.[name] ? json(op.params[name], 'input') : { type: 'string', format: 'uuid' },
  }));
  if (op.query) {
    const q = json(op.query, 'input');
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      out.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
    }
  }
  for (const [name, description] of Object.entries(op.headers ?? {})) {
    out.push({ name, in: 'header', required: false, description, schema: { type: 'string' } });
  }
  return out;
}

function errorReplies(codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes) byStatus.set(STATUS[c], [...(byStatus.get(STATUS[c]) ?? []), c]);
  return Object.fromEntries(
    [...byStatus].map(([status, some]) => [
      status,
      {
        description: some.join(', '),
        content: {
          'application/json': {
            schema: {
              allOf: [
                { $ref: '#/components/schemas/Error' },
                { properties: { error: { properties: { code: { enum: some } } } } },
              ],
            },
          },
        },
      },
    ]),
  );
}

function success(json: ToSchema, op: Operation) {
  const { status, description, schema, type, also } = op.ok;
  const content = schema
    ? { content: { [type ?? 'application/json']: { schema: json(schema, 'output') } } }
    : type
      ? { content: { [type]: {} } }
      : {};
  const more = Object.entries(also ?? {}).map(([s, d]) => [s, { description: d, ...content }]);
  return { [status]: { description, ...content }, ...Object.fromEntries(more) };
}

const operationId = (method: Method, path: string) =>
  method + path.replace(/[^A-Za-z0-9]+([A-Za-z0-9])?/g, (_, c: string | undefined) => c?.toUpperCase() ?? '');

function describe(json: ToSchema, path: string, method: Method, op: Operation) {
  const errors = errorCodesOf(path, method, op);
  const params = parameters(json, path, op);
  return {
    operationId: operationId(method, path),
    summary: op.summary,
    tags: [op.tag],
    security: SECURITY[op.caller],
    ...(params.length ? { parameters: params } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { [op.bodyType ?? 'application/json']: { schema: json(op.body, 'input') } },
          },
        }
      : {}),
    responses: { ...success(json, op), ...errorReplies(errors) },
    'x-error-codes': errors,
  };
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable; the message may change' },
        message: { type: 'string' },
        fields: { type: 'object', additionalProperties: { type: 'string' } },
        details: { type: 'object' },
        request_id: { type: 'string' },
      },
    },
  },
};

export function buildDocument(operations: Operations, serverUrl: string, tags: Record<string, string>) {
  const schemas: Record<string, unknown> = { Error: ERROR_SCHEMA };
  const json = schemaMaker(schemas);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(operations)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(ops) as Array<[Method, Operation]>) {
      paths[path][method] = describe(json, path, method, op);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Fair allocation API',
      version: '1',
      description:
        'Identity-verified applications (web, SMS, API, proxy), the verifiable draw, pickups at the counter, ' +
        "the instant sale and payments. Every error carries a stable code (x-error-codes lists each route's).",
    },
    servers: [{ url: serverUrl }],
    tags: Object.entries(tags).map(([name, description]) => ({ name, description })),
    components: { securitySchemes: SECURITY_SCHEMES, schemas },
    paths,
  };
}
