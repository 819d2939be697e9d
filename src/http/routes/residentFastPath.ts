// Resident API requests a rush sends by the thousand (an application; joining, reading one's place in and buying
// from an instant sale), answered from node's own request event with the steps the koa stack takes for them:
// request id, a JSON body under BODY_LIMIT through co-body as koa-bodyparser reads it (or none), unstorable text
// refused, the X-Resident-Token verified, the route's command, the same error codes, headers and metrics. A V8
// CPU profile of `npm run bench -- intake` put koa's layers (context, twelve middleware, router, body parser) at
// ~17 % of the service's CPU per application, more than the command. Anything else (a cookie, staff credentials,
// a query, another content type or encoding, a body where none is read) goes on to the app, which answers it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import coBody from 'co-body';
import { validationFailed } from '../../domain/errors.js';
import type { ResidentClaims } from '../../identity/residentSession.js';
import type { Logger } from '../../logger.js';
import type { AppDeps } from '../deps.js';
import { answerFor, errorBody, noteOverload } from '../errors.js';
import { UNSTORABLE_MESSAGE } from '../fields.js';
import { HSTS } from '../middleware/publicOrigin.js';
import { requestIdFrom, SECURITY_HEADERS } from '../middleware/requestContext.js';
import { RESIDENT_TOKEN_HEADER, residentOfToken } from '../middleware/residentAuth.js';
import { unstorablePath } from '../middleware/safeInput.js';
import type { RequestListener } from './stock/fastPath.js';

export interface FastAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FastRoute {
  method: 'GET' | 'POST';
  /** the path with the campaign id as its one group; no query */
  path: RegExp;
  /** the route as koa's router names it in the metrics */
  route: string;
  /**
   * a JSON body (read and checked as the body parser and safeInput do), or none (a request with one goes to koa),
   * or either ('optional': a body comes as JSON or not at all; `{}` when none)
   */
  body: 'json' | 'none' | 'optional';
  run(who: ResidentClaims, campaignId: string, body: unknown, req: IncomingMessage): Promise<FastAnswer>;
}

/** `/api/campaigns/<uuid><tail>`, the campaign id as the one group. */
export const campaignPath = (tail: string) =>
  new RegExp(`^/api/campaigns/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})${tail}$`, 'i');

/** The requests a route answers exactly as the app would: everything else goes to the app. */
function handles(req: IncomingMessage, r: FastRoute): boolean {
  const h = req.headers;
  if (!h[RESIDENT_TOKEN_HEADER] || h.cookie !== undefined || h.authorization !== undefined) return false;
  if (h['transfer-encoding'] !== undefined || h['content-encoding'] !== undefined) return false;
  const none = h['content-length'] === undefined || h['content-length'] === '0';
  if (r.body === 'none' || (r.body === 'optional' && none)) return none;
  return (
    h['content-length'] !== undefined &&
    /^application\/json\s*(?:;\s*charset=utf-8\s*)?$/i.test(h['content-type'] ?? '')
  );
}

/** The headers every fast answer carries: the app's security headers, and no-store (it carries a credential). */
export function fastHeaders(deps: AppDeps): Record<string, string> {
  const https = deps.config.publicUrl.startsWith('https:');
  return {
    ...SECURITY_HEADERS,
    ...(https ? { 'Strict-Transport-Security': HSTS } : {}),
    'Cache-Control': 'no-store',
  };
}

export function withResidentFastPaths(
  deps: AppDeps,
  routes: FastRoute[],
  app: RequestListener,
): RequestListener {
  const fixed = fastHeaders(deps);
  return (req, res) => {
    for (const r of routes) {
      const m = req.method === r.method ? r.path.exec(req.url ?? '') : null;
      if (m && handles(req, r)) {
        const campaignId = m[1]!;
        return void answerFast(deps, fixed, r, req, res, async (body) => {
          const token = req.headers[RESIDENT_TOKEN_HEADER] as string;
          const who = await residentOfToken(deps, token);
          return r.run(who, campaignId, body, req);
        });
      }
    }
    return app(req, res);
  };
}

/**
 * A request a fast route took, answered as the app would: its request id, its JSON body read as the body
 * parser and safeInput read it (or none), `run` on it (the credential's check and the command), the error
 * codes, headers, metrics and log line of the koa stack.
 */
export async function answerFast(
  deps: AppDeps,
  fixed: Record<string, string>,
  r: Pick<FastRoute, 'method' | 'route' | 'body'>,
  req: IncomingMessage,
  res: ServerResponse,
  run: (body: unknown) => Promise<FastAnswer>,
): Promise<void> {
  const started = performance.now();
  const endTimer = deps.metrics.latency.startTimer();
  const requestId = requestIdFrom(req.headers['x-request-id'] as string | undefined);
  let log: Logger | undefined;
  const logOf = () => {
    log ??= deps.logger.child({ request_id: requestId });
    return log;
  };
  let status: number;
  let body: unknown;
  const headers: Record<string, string | number> = { 'X-Request-Id': requestId };
  try {
    let parsed: unknown = {};
    const sent = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
    if (r.body === 'json' || (r.body === 'optional' && sent)) {
      parsed = await coBody.json(req, { limit: deps.config.BODY_LIMIT, strict: true });
      const bad = unstorablePath(parsed);
      if (bad !== undefined) throw validationFailed({ [bad]: UNSTORABLE_MESSAGE });
    }
    const a = await run(parsed);
    ({ status, body } = a);
    Object.assign(headers, a.headers);
  } catch (raw) {
    const answer = answerFor(raw);
    if (answer.unexpected) logOf().error({ err: raw }, 'unhandled error');
    if (answer.overloaded) noteOverload(logOf());
    if (answer.retryAfter !== undefined) headers['Retry-After'] = String(answer.retryAfter);
    status = answer.status;
    body = errorBody(answer.shown, requestId);
  }
  const json = JSON.stringify(body);
  Object.assign(headers, fixed, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
  });
  if (!res.destroyed) {
    res.writeHead(status, headers);
    res.end(json);
  }
  endTimer({ method: r.method, route: r.route });
  deps.metrics.requests.inc({ method: r.method, route: r.route, status: String(status) });
  if (deps.logger.isLevelEnabled('info'))
    logOf().info(
      { method: r.method, path: req.url, status, ms: Math.round(performance.now() - started) },
      'request',
    );
}
