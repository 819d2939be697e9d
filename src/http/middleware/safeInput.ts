// Text PostgreSQL cannot store is refused at the door, whatever the route: a NUL character (text and jsonb
// refuse it) or a lone UTF-16 surrogate (jsonb refuses its escape; text would silently turn it into U+FFFD).
// Path parameters, query values and every string (and key) of a JSON or form body are checked, and the answer
// is 422 naming the field, instead of a database error surfacing as 500.
import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import { validationFailed } from '../../domain/errors.js';

import { UNSTORABLE, UNSTORABLE_MESSAGE } from '../fields.js';

/** The dotted path of the first string (or key) in `value` that PostgreSQL cannot store, if any. */
export function unstorablePath(value: unknown, path: string[] = [], depth = 0): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path.join('.') || '_' : undefined;
  if (value === null || typeof value !== 'object' || depth > 32) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (UNSTORABLE.test(key)) return [...path, key.replace(UNSTORABLE, '?')].join('.');
    const found = unstorablePath(inner, [...path, key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes stay as typed (the router does the same): plain ASCII
  }
}

/** The name of the route parameter holding the bad text (e.g. `id`), or `path` when no route names it. */
function paramName(router: Router, ctx: Context): string {
  const layers = router.match(ctx.path, ctx.method).pathAndMethod;
  for (const layer of layers) {
    const captures = layer.captures(ctx.path);
    const i = captures.findIndex((c) => UNSTORABLE.test(decoded(c ?? '')));
    const name = layer.paramNames[i]?.name;
    if (typeof name === 'string') return name;
  }
  return 'path';
}

export function safeInput(router: Router) {
  return async (ctx: Context, next: Next) => {
    if (ctx.path.split('/').some((s) => UNSTORABLE.test(decoded(s)))) {
      throw validationFailed({ [paramName(router, ctx)]: UNSTORABLE_MESSAGE });
    }
    const inQuery = unstorablePath(ctx.query);
    if (inQuery !== undefined) throw validationFailed({ [inQuery]: UNSTORABLE_MESSAGE });
    const inBody = unstorablePath(ctx.request.body);
    if (inBody !== undefined) throw validationFailed({ [inBody]: UNSTORABLE_MESSAGE });
    await next();
  };
}
