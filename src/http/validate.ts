// Route schemas: zod parses the request; a failure becomes validation_failed with one message per field.
import type { Context } from 'koa';
import type { z } from 'zod';
import { DomainError, type FieldErrors } from '../domain/errors.js';

export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    out[key] ??= issue.message;
  }
  return out;
}

export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new DomainError('validation_failed', 'Some fields are not valid', {
      fields: fieldErrors(result.error),
    });
  }
  return result.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Unknown or malformed ids are a 404, not a database error. */
export function parseId(id: string | undefined, what = 'campaign'): string {
  if (!id || !UUID.test(id)) throw new DomainError('not_found', `No such ${what}`);
  return id;
}

/**
 * The request body as the body parser (app.ts, ahead of every route) leaves it: an object, `{}` when nothing
 * was sent (strict JSON refuses a bare `null` or scalar), so routes need no fallback of their own.
 */
export function bodyOf(ctx: Context): Record<string, unknown> {
  return ctx.request.body as Record<string, unknown>;
}
