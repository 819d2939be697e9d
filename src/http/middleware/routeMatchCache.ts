// @koa/router finds a request's route by testing every layer's pattern in turn (and a debug call for each):
// with ~160 routes that was ~4 % of the service's CPU on the intake path (V8 profile of `npm run bench --
// intake`). The routes do not change once mounted, and requests come to a few paths (one campaign's form),
// so each path's match is remembered, a bounded number at a time, and handed out as fresh arrays (the
// router appends to them).
import type Router from '@koa/router';

const REMEMBERED = 2000;

type MatchResult = ReturnType<Router['match']>;

export function rememberRouteMatches(router: Router): Router {
  const match = router.match.bind(router);
  const known = new Map<string, MatchResult>();
  let layers = router.stack.length;
  router.match = (path: string, method: string) => {
    if (router.stack.length !== layers) {
      known.clear(); // a route mounted later: start again
      layers = router.stack.length;
    }
    const key = `${method} ${path}`;
    let found = known.get(key);
    if (!found) {
      found = match(path, method);
      if (known.size >= REMEMBERED) known.clear();
      known.set(key, found);
    }
    return { path: [...found.path], pathAndMethod: [...found.pathAndMethod], route: found.route };
  };
  return router;
}
