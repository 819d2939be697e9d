// What one documented operation says: who may call it, what it reads, what it answers, and which error codes.
import type { z } from 'zod';
import type { ErrorCode } from '../../domain/errors.js';

/** Who may call: a resident session token, a staff bearer token, anyone, or a provider signing its webhook. */
export type Caller = 'resident' | 'staff' | 'anyone' | 'twilio' | 'payment_provider';

export interface Operation {
  summary: string;
  tag: string;
  caller: Caller;
  /** path parameters that are not UUIDs (the default), by name */
  params?: Record<string, z.ZodType>;
  /** the query the route parses */
  query?: z.ZodObject;
  /** request headers the route reads besides authentication */
  headers?: Record<string, string>;
  /** the body schema the route parses with */
  body?: z.ZodType;
  bodyType?: 'application/json' | 'application/x-www-form-urlencoded';
  ok: {
    status: number;
    description: string;
    schema?: z.ZodType;
    /** a media type other than JSON (CSV, TwiML) */
    type?: string;
    /** other success statuses with the same body (a replay, an answer still pending) */
    also?: Record<number, string>;
  };
  /** codes the route itself answers; those of the caller's authentication and of a body are added */
  errors: ErrorCode[];
}

export type Method = 'get' | 'post' | 'put' | 'delete';

/** Operations by OpenAPI path (`/api/campaigns/{id}`) and method. */
export type Operations = Record<string, Partial<Record<Method, Operation>>>;
