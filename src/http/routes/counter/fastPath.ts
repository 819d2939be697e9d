// The press at the counter (POST /api/sites/:site_id/collections with a staff bearer token and a JSON body),
// answered from node's own request event as the resident fast paths are (residentFastPath.ts), with the steps
// the koa stack takes for it: request id, the body as the body parser and safeInput read it, the token and
// the session (loadStaff), the role (requireStaff: no CSRF check, which only a cookie needs), the route's
// schema and command, the same error codes, headers and metrics. Through koa's twelve layers a press cost the
// service 1.1-2.0 ms of CPU in `npm run bench -- stock` on the shared machine, 0.54 ms this way. Anything else
// (a cookie, a query, an escaped or odd site id, another content type or encoding) goes on to the app.
import type { IncomingMessage } from 'node:http';
import type { AppDeps } from '../../deps.js';
import { admitStaff, staffSessionOf } from '../../middleware/staffAuth.js';
import { answerFast, fastHeaders } from '../residentFastPath.js';
import type { RequestListener } from '../stock/fastPath.js';
import { counterContext, counterStaff, pressCollection } from './api.js';

const PRESS = /^\/api\/sites\/([A-Za-z0-9_-]{1,40})\/collections$/;
const ROUTE = { method: 'POST', route: '/api/sites/:site_id/collections', body: 'json' } as const;

/** The presses this path answers exactly as the app would. */
function handles(req: IncomingMessage): boolean {
  const h = req.headers;
  if (h.cookie !== undefined || !h.authorization?.startsWith('Bearer ')) return false;
  if (h['transfer-encoding'] !== undefined || h['content-encoding'] !== undefined) return false;
  return (
    h['content-length'] !== undefined &&
    /^application\/json\s*(?:;\s*charset=utf-8\s*)?$/i.test(h['content-type'] ?? '')
  );
}

export function withCounterFastPath(deps: AppDeps, app: RequestListener): RequestListener {
  const fixed = fastHeaders(deps);
  const cmd = counterContext(deps);
  const auth = {
    db: deps.db,
    clock: deps.clock,
    sessionSecret: deps.config.secrets.sessionSecret,
    sessions: deps.staffSessions,
  };
  return (req, res) => {
    const m = req.method === 'POST' ? PRESS.exec(req.url ?? '') : null;
    if (!m || !handles(req)) return app(req, res);
    const token = req.headers.authorization!.slice(7).trim();
    return void answerFast(deps, fixed, ROUTE, req, res, async (body) => {
      const session = admitStaff(await staffSessionOf(auth, token, false), true, ['site_staff', 'admin']);
      return { status: 201, body: await pressCollection(cmd, counterStaff(session), m[1], body) };
    });
  };
}
