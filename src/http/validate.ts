// Route schemas: zod parses the request; a failure becomes validation_failed with every fault as a Problem
// (http/problems.ts), each field's faults in English in `fields` for the API.
import type { Context } from 'koa';
import type { z } from 'zod';
import { DomainError, type Problem } from '../domain/errors.js';
import { defaultMessage, englishFields, problemsOf } from './problems.js';

/** A schema's parse: zod's own checks without a message of the schema's are worded by the catalogue. */
export function check<S extends z.ZodType>(schema: S, input: unknown) {
  return schema.safeParse(input, { error: defaultMessage });
}

/** The refusal for these faults: the problems for pages, the same in English for the API. */
export function invalid(problems: Problem[]): DomainError {
  return new DomainError('validation_failed', 'Some fields are not valid', {
    problems,
    fields: englishFields(problems),
  });
}

export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = check(schema, input);
  if (!result.success) throw invalid(problemsOf(result.error));
  return result.data;
}

/**
 * An object schema's fields parsed one by one: what could be read, and every field's faults. Rules across
 * fields can then judge the fields that are valid in the same submit (the object itself has no refinements).
 */
export function parseFields<S extends z.ZodObject>(
  schema: S,
  input: unknown,
): { data: Partial<z.infer<S>>; problems: Problem[] } {
  const body = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const data: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const result = check(field, body[key]);
    if (result.success) data[key] = result.data;
    else problems.push(...problemsOf(result.error, [key]));
  }
  return { data: data as Partial<z.infer<S>>, problems };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
