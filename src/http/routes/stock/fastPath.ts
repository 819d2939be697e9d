// GET /api/campaigns/:id/stock ahead of koa: the public figure every phone in town polls is a snapshot already
// serialised (campaignStock.ts), so the request is answered from node's own request event, before koa builds a
// context and runs the logger, metrics, language, session and body layers. At 100 readers those layers were
// most of a read's CPU, and a saturated loop made every round trip of a counter's collection wait behind
// ~100 reads (npm run bench -- stock). It sends the same security headers and ETag (a 304 to a reader whose
// figures are current); anything it cannot answer (an unknown or private campaign, a query it does not serve,
// other methods) goes on to the app's route and errors.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError, validationFailed } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import { answerFor, errorBody } from '../../errors.js';
import { UNSTORABLE, UNSTORABLE_MESSAGE } from '../../fields.js';
import { SECURITY_HEADERS } from '../../middleware/requestContext.js';
import { isPublic } from './api.js';

// a UUID in either case, as the app's route takes it (parseId); the snapshot is kept under the lower case
const STOCK_PATH =
  /^\/api\/campaigns\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/stock(?:\?.*)?$/i;

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Whether an If-None-Match header names this (weak) ETag: weak comparison, as koa's ctx.fresh makes it. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
}

export function withStockFastPath(deps: Pick<AppDeps, 'stock'>, app: RequestListener): RequestListener {
  const snapshot = deps.stock;
  return (req, res) => {
    const m = req.method === 'GET' ? STOCK_PATH.exec(req.url ?? '') : null;
    if (!m) return app(req, res);
    snapshot(m[1]!.toLowerCase(), isPublic).then(
      (s) => {
        if (!s) return app(req, res);
        const headers = {
          'Cache-Control': 'public, max-age=1',
          ETag: s.etag,
          ...SECURITY_HEADERS,
        };
        if (matchesEtag(req.headers['if-none-match'], s.etag)) {
          res.writeHead(304, headers);
          return res.end();
        }
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': s.body.length,
          ...headers,
        });
        res.end(s.body);
      },
      () => app(req, res),
    );
  };
}

const decoded = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};
const STOCK_ANY = /^\/api\/campaigns\/([^/?]*)\/stock(?:\?.*)?$/;

/** The app's refusal of a request the fast path did not answer: what safeInput, parseId and the router say. */
function refusalOf(req: IncomingMessage): DomainError {
  const url = req.url ?? '';
  const stock = req.method === 'GET' ? STOCK_ANY.exec(url) : null;
  const path = url.split('?')[0]!;
  if (path.split('/').some((seg) => UNSTORABLE.test(decoded(seg)))) {
    const inId = stock && UNSTORABLE.test(decoded(stock[1]!));
    return validationFailed({ [inId ? 'id' : 'path']: UNSTORABLE_MESSAGE });
  }
  return new DomainError('not_found', stock ? 'No such campaign' : 'Nothing is here');
}

/**
 * The public stock read alone, for its own process (src/stockReads.ts): what the fast path answers, and for
 * what it does not the app's answer in the app's JSON error shape (404 for an unknown, private or malformed
 * campaign id or any other request; 422 for text PostgreSQL cannot store in the path).
 */
export function stockReadsListener(deps: Pick<AppDeps, 'stock'>): RequestListener {
  return withStockFastPath(deps, (req, res) => {
    const requestId = randomUUID();
    const answer = answerFor(refusalOf(req));
    const body = JSON.stringify(errorBody(answer.shown, requestId));
    res.writeHead(answer.status, {
      ...SECURITY_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      'X-Request-Id': requestId,
    });
    res.end(body);
  });
}
