// POST /api/campaigns/:id/application with a resident token header, ahead of koa: the request every applicant
// of a rush sends once, answered from node's own request event with the same steps the koa stack takes for it
// (request id, JSON body under BODY_LIMIT through co-body as koa-bodyparser reads it, unstorable text refused,
// the token verified, the route's applyOverApi, the same error codes, headers and metrics). A V8 CPU profile
// of `npm run bench -- intake` put koa's layers (context, twelve middleware, router, body parser) at ~17 % of
// the service's CPU per application, more than the command. Anything else (a cookie, staff credentials, a query,
// another content type or encoding) goes on to the app, which answers it as before.
import type { IncomingMessage, ServerResponse } from 'node:http';
import coBody from 'co-body';
import { validationFailed } from '../../../domain/errors.js';
import { verifyResidentToken } from '../../../identity/residentSession.js';
import type { Logger } from '../../../logger.js';
import type { AppDeps } from '../../deps.js';
import { answerFor, errorBody } from '../../errors.js';
import { UNSTORABLE_MESSAGE } from '../../fields.js';
import { HSTS } from '../../middleware/publicOrigin.js';
import { requestIdFrom, SECURITY_HEADERS } from '../../middleware/requestContext.js';
import { RESIDENT_TOKEN_HEADER } from '../../middleware/residentAuth.js';
import { unstorablePath } from '../../middleware/safeInput.js';
import type { RequestListener } from '../stock/fastPath.js';
import { applyOverApi } from './api.js';

const APPLY_PATH =
  /^\/api\/campaigns\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/application$/i;
/** the route as koa's router names it in the metrics */
const ROUTE = '/api/campaigns/:id/application';

/** The requests this path answers exactly as the app would: everything else goes to the app. */
function handles(req: IncomingMessage): boolean {
  const h = req.headers;
  return (
    !!h[RESIDENT_TOKEN_HEADER] &&
    h.cookie === undefined &&
    h.authorization === undefined &&
    h['content-encoding'] === undefined &&
    h['content-length'] !== undefined &&
    h['transfer-encoding'] === undefined &&
    /^application\/json\s*(?:;\s*charset=utf-8\s*)?$/i.test(h['content-type'] ?? '')
  );
}

export function withApplyFastPath(deps: AppDeps, app: RequestListener): RequestListener {
  const https = deps.config.publicUrl.startsWith('https:');
  const fixed: Record<string, string> = {
    ...SECURITY_HEADERS,
    ...(https ? { 'Strict-Transport-Security': HSTS } : {}),
    'Cache-Control': 'no-store', // the request carries a resident token
  };
  return (req, res) => {
    const m = req.method === 'POST' ? APPLY_PATH.exec(req.url ?? '') : null;
    if (!m || !handles(req)) return app(req, res);
    void apply(deps, fixed, m[1]!, req, res);
  };
}

async function apply(
  deps: AppDeps,
  fixed: Record<string, string>,
  campaignId: string,
  req: IncomingMessage,
  res: ServerResponse,
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
    const parsed: unknown = await coBody.json(req, { limit: deps.config.BODY_LIMIT, strict: true });
    const bad = unstorablePath(parsed);
    if (bad !== undefined) throw validationFailed({ [bad]: UNSTORABLE_MESSAGE });
    const token = req.headers[RESIDENT_TOKEN_HEADER] as string;
    const who = await verifyResidentToken(deps.config.secrets.sessionSecret, token, deps.clock.now());
    ({ status, body } = await applyOverApi(deps, who, campaignId, parsed));
  } catch (raw) {
    const answer = answerFor(raw);
    if (answer.unexpected) logOf().error({ err: raw }, 'unhandled error');
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
  endTimer({ method: 'POST', route: ROUTE });
  deps.metrics.requests.inc({ method: 'POST', route: ROUTE, status: String(status) });
  if (deps.logger.isLevelEnabled('info'))
    logOf().info(
      { method: 'POST', path: req.url, status, ms: Math.round(performance.now() - started) },
      'request',
    );
}
