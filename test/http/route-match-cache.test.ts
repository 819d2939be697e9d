// Remembered route matches: the same layers as the router's own walk, fresh arrays each time (the router
// appends to ctx.matched), and a route mounted later is still found.
import Router from '@koa/router';
import test from 'ava';
import { rememberRouteMatches } from '../../src/http/middleware/routeMatchCache.js';

function routes() {
  const r = new Router();
  r.get('/api/campaigns/:id/application', () => {});
  r.post('/api/campaigns/:id/application', () => {});
  r.get('/api/campaigns/:id', () => {});
  return r;
}

test('a remembered match is the walk’s own, in fresh arrays, and follows routes added later', (t) => {
  const plain = routes();
  const cached = rememberRouteMatches(routes());
  for (const [path, method] of [
    ['/api/campaigns/7/application', 'POST'],
    ['/api/campaigns/7/application', 'POST'],
    ['/api/campaigns/7/application', 'PUT'],
    ['/api/campaigns/7', 'GET'],
    ['/nowhere', 'GET'],
  ] as const) {
    const a = plain.match(path, method);
    const b = cached.match(path, method);
    t.deepEqual(
      b.pathAndMethod.map((l) => `${l.methods} ${l.path}`),
      a.pathAndMethod.map((l) => `${l.methods} ${l.path}`),
    );
    t.deepEqual(
      b.path.map((l) => l.path),
      a.path.map((l) => l.path),
    );
    t.is(b.route, a.route);
  }
  const first = cached.match('/api/campaigns/7', 'GET');
  first.path.push(first.path[0]!);
  t.is(cached.match('/api/campaigns/7', 'GET').path.length, 1);
  t.false(cached.match('/late', 'GET').route);
  cached.get('/late', () => {});
  t.true(cached.match('/late', 'GET').route);
});
