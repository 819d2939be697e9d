// GET /api/campaigns/:id/stock ahead of koa: the public figure every phone in town polls is a snapshot already
// serialised (campaignStock.ts), so the request is answered from node's own request event, before koa builds a
// context and runs the logger, metrics, language, session and body layers. At 100 readers those layers were
// most of a read's CPU, and a saturated loop made every round trip of a counter's collection wait behind
// ~100 reads (npm run bench -- stock). It sends the same security headers; anything it cannot answer (an
// unknown or private campaign, a query it does not serve, other methods) goes on to the app's route and errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../../deps.js';
import { isPublic } from './api.js';

const STOCK_PATH =
  /^\/api\/campaigns\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/stock(?:\?.*)?$/;

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export function withStockFastPath(deps: AppDeps, app: RequestListener): RequestListener {
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
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'same-origin',
          'X-Frame-Options': 'DENY',
        });
        res.end(s.body);
      },
      () => app(req, res),
    );
  };
}
