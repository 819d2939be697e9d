// The one place where error codes become HTTP statuses, and where stray errors become clean responses.
import type { Context, Next } from 'koa';
import { DomainError, type ErrorCode, type Problem } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { englishFields } from './problems.js';

export const STATUS: Record<ErrorCode, number> = {
  validation_failed: 422,
  invalid_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_found: 404,
  method_not_allowed: 405,
  unauthenticated: 401,
  forbidden: 403,
  invalid_credentials: 401,
  invalid_token: 401,
  csrf_failed: 403,
  rate_limited: 429,
  campaign_not_editable: 409,
  invalid_transition: 409,
  campaign_not_open: 409,
  campaign_closed: 409,
  duplicate_code: 409,
  conflict: 409,
  busy: 503,
  duplicate_application: 409,
  not_eligible: 403,
  code_invalid: 422,
  code_expired: 410,
  code_exhausted: 429,
  invalid_signature: 403,
  not_a_proxy: 403,
  proxy_cap_reached: 409,
  oidc_unavailable: 503,
  verification_not_allowed: 403,
  identity_verification_failed: 401,
  provider_misconfigured: 500,
  beacon_too_early: 409,
  beacon_already_recorded: 409,
  award_already_collected: 409,
  award_not_collectable: 409,
  award_not_payable: 409,
  order_already_open: 409,
  idempotency_key_reused: 422,
  payment_unavailable: 503,
  already_collected: 409,
  wrong_site: 422,
  not_won: 409,
  claim_expired: 410,
  award_refused: 409,
  pickup_not_started: 409,
  claim_code_unknown: 404,
  claim_token_invalid: 422,
  admission_invalid: 403,
  admission_used: 409,
  already_purchased: 409,
  use_sale_queue: 409,
  sold_out: 409,
};

/** The status of a refusal, for pages that show it inside their own form rather than on the error page. */
export function statusOf(err: DomainError | ErrorCode): number {
  return STATUS[typeof err === 'string' ? err : err.code];
}

/** Errors thrown by koa's own parts (body parser, router) carry a status; give them our codes. */
function fromHttpError(err: { status?: number; type?: string; message?: string }): DomainError | undefined {
  switch (err.status) {
    case 400:
      return new DomainError('invalid_json', 'The request body is not valid JSON or form data');
    case 405:
      return new DomainError('method_not_allowed', 'This method is not allowed here');
    case 413:
      return new DomainError('payload_too_large', 'The request body is too large');
    case 415:
      return new DomainError('unsupported_media_type', 'Send JSON or form data');
    default:
      return undefined;
  }
}

/** What a person is shown: a stable code ('internal' for our own failures) and the English message. */
export interface ShownError {
  code: ErrorCode | 'internal';
  message: string;
  fields?: Record<string, string> | undefined;
  details?: Record<string, unknown> | undefined;
  /** the faults as catalogue keys, for a page to word in its reader's language */
  problems?: Problem[] | undefined;
}

export interface ErrorPresenter {
  /** Renders an HTML error page for browser requests; JSON is used for /api and non-HTML clients. */
  html(ctx: Context, err: ShownError, status: number): void;
}

export function wantsJson(ctx: Context): boolean {
  return ctx.path.startsWith('/api/') || ctx.path.startsWith('/webhooks/') || !ctx.accepts('html');
}

/** The HTML page, or false when rendering it failed too (the caller then answers in JSON). */
function shown(ctx: Context, presenter: ErrorPresenter, err: ShownError, status: number): boolean {
  try {
    presenter.html(ctx, err, status);
    return true;
  } catch (renderErr) {
    (ctx.state.log as Logger | undefined)?.error({ err: renderErr }, 'the error page failed to render');
    ctx.status = status;
    return false;
  }
}

/** How a thrown error is answered: its status and what is shown; `unexpected` is our own failure (500). */
export interface ErrorAnswer {
  status: number;
  shown: ShownError;
  unexpected: boolean;
  /** seconds, for a Retry-After header */
  retryAfter?: number;
  /** refused because the process had no database connection to give it in time (see noteOverload) */
  overloaded?: true;
}

const INTERNAL: ShownError = { code: 'internal', message: 'Something went wrong on our side' };

/** Seconds an overloaded process asks a client to wait: a rush's queue for connections drains in about that. */
const OVERLOAD_RETRY_AFTER_SECONDS = 2;

/** Knex's pool wait ran out (db/knex.ts isPoolTimeout), told by the error's name: the edge imports no database code. */
const isPoolTimeout = (err: unknown) => err instanceof Error && err.name === 'KnexTimeoutError';

const OVERLOADED: ShownError = {
  code: 'busy',
  message: 'The service is very busy right now; try again in a few seconds',
  details: { retry_after: OVERLOAD_RETRY_AFTER_SECONDS },
};

const shownOf = (err: DomainError): ShownError => ({
  code: err.code,
  message: err.message,
  details: err.details,
  problems: err.problems,
});

export function answerFor(raw: unknown): ErrorAnswer {
  // No connection in time: nothing of the request reached the database, and trying again later is safe. A 500
  // ("something went wrong") told people the service was broken, and clients retried it at once.
  if (isPoolTimeout(raw))
    return {
      status: STATUS.busy,
      shown: OVERLOADED,
      unexpected: false,
      retryAfter: OVERLOAD_RETRY_AFTER_SECONDS,
      overloaded: true,
    };
  const err = raw instanceof DomainError ? raw : (fromHttpError(raw as { status?: number }) ?? undefined);
  if (!err) return { status: 500, shown: INTERNAL, unexpected: true };
  const retry = err.details?.retry_after;
  return {
    status: STATUS[err.code],
    // a rule's faults come as keys only: the API words them in English here, once
    shown: err.problems && !err.fields ? { ...shownOf(err), fields: englishFields(err.problems) } : err,
    unexpected: false,
    ...(typeof retry === 'number' ? { retryAfter: retry } : {}),
  };
}

/** The JSON body of a refusal or failure: every API error has this one shape. */
export function errorBody(shown: ShownError, requestId: unknown) {
  return {
    error: {
      code: shown.code,
      message: shown.message,
      ...(shown.fields ? { fields: shown.fields } : {}),
      ...(shown.details ? { details: shown.details } : {}),
      request_id: requestId,
    },
  };
}

const OVERLOAD_LOG_EVERY_MS = 10_000;
let overloadsUntold = 0;
let overloadToldAt = Number.NEGATIVE_INFINITY;

/**
 * Operators hear of requests refused for want of a database connection: once every 10 s with how many since,
 * not one line each (an overload refuses thousands, and a line each would add to it).
 */
export function noteOverload(log: Logger, now = performance.now()): void {
  overloadsUntold++;
  if (now - overloadToldAt < OVERLOAD_LOG_EVERY_MS) return;
  log.warn(
    { refused: overloadsUntold },
    'requests refused with 503 busy: no database connection free in time (DATABASE_POOL_MAX, or the load)',
  );
  overloadsUntold = 0;
  overloadToldAt = now;
}

export function errorHandler(logger: Logger, presenter?: ErrorPresenter) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new DomainError('not_found', 'Nothing is here');
    } catch (raw) {
      const answer = answerFor(raw);
      if (answer.overloaded) noteOverload((ctx.state.log as Logger | undefined) ?? logger);
      // A 500 is ours to fix, expected (a provider refused our configuration) or not: operators see both.
      if (answer.status === 500) {
        const log = (ctx.state.log as Logger | undefined) ?? logger;
        log.error(
          { err: raw, code: answer.shown.code },
          answer.unexpected ? 'unhandled error' : answer.shown.message,
        );
      }
      ctx.status = answer.status;
      if (answer.retryAfter !== undefined) ctx.set('Retry-After', String(answer.retryAfter));
      if (presenter && !wantsJson(ctx) && shown(ctx, presenter, answer.shown, answer.status)) return;
      ctx.body = errorBody(answer.shown, ctx.state.requestId);
    }
  };
}
