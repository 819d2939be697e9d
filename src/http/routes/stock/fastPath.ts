// GET /api/campaigns/:id/stock ahead of koa: the public figure every phone in town polls is a snapshot already
// serialised (campaignStock.ts), so the request is answered from node's own request event, before koa builds a
// context and runs the logger, metrics, language, session and body layers. At 100 readers those layers were
// most of a read's CPU, and a saturated loop made every round trip of a counter's collection wait behind
// ~100 reads (npm run bench -- stock). It sends the same security headers; anything it cannot answer (an
// unknown or private campaign, a query it does not serve, other methods) goes on to the app's route and errors.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../../deps.js';
import { errorBody, statusOf } from '../../errors.js';
import { SECURITY_HEADERS } from '../../middleware/requestContext.js';
import { isPublic } from './api.js';

const STOCK_PATH =
  /^\/api\/campaigns\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/stock(?:\?.*)?$/;

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export function withStockFastPath(deps: Pick<AppDeps, 'stock'>, app: RequestListener): RequestListener {
  const snapshot = deps.stock;
  return (req, res) => {
    const m = req.method === 'GET' ? STOCK_PATH.exec(req.url ?? '') : null;
    if (!m) return app(req, res);
    snapshot(m[1]!, isPublic).then(
      (s) => {
        if (!s) return app(req, res);
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': s.body.length,
          'Cache-Control': 'public, max-age=1',
          ...SECURITY_HEADERS,
        });
        res.end(s.body);
      },
      () => app(req, res),
    );
  };
}

/**
 * The public stock read alone, for its own process (src/stockReads.ts): what the fast path answers, and a 404
 * in the app's JSON error shape for what it does not (an unknown or private campaign, any other request).
 */
export function stockReadsListener(deps: Pick<AppDeps, 'stock'>): RequestListener {
  return withStockFastPath(deps, (req, res) => {
    const stock = req.method === 'GET' && STOCK_PATH.test(req.url ?? '');
    const requestId = randomUUID();
    const body = JSON.stringify(
      errorBody({ code: 'not_found', message: stock ? 'No such campaign' : 'Nothing is here' }, requestId),
    );
    res.writeHead(statusOf('not_found'), {
      ...SECURITY_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      'X-Request-Id': requestId,
    });
    res.end(body);
  });
}
