// The instant sale's requests ahead of koa (routes/instant/fastPath.ts) answer as the koa app does, side by side
// with a server that has only the koa app: joining, reading one's place, buying and its refusals; and a look at
// one's turn writes nothing (the admission pass issued the token).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { createApp } from '../../src/http/app.js';
import { instantFastRoutes } from '../../src/http/routes/instant/fastPath.js';
import { withResidentFastPaths } from '../../src/http/routes/residentFastPath.js';
import { buyers, instantWorld, openSale, scheduledSale } from '../helpers/instant.js';

const servers: http.Server[] = [];
test.after.always(() => {
  for (const s of servers) s.close();
});

async function listen(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

test('join, place, purchase and their refusals answer the same through the fast path and koa', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const koa = createApp(app.deps).callback();
  let delegated = 0;
  const koaUrl = await listen(koa);
  const fastUrl = await listen(
    withResidentFastPaths(app.deps, instantFastRoutes(app.deps), (req, res) => {
      delegated++;
      koa(req, res);
    }),
  );
  const c = await scheduledSale(app, { units: 10 });
  await tick(); // the room
  const [a, b] = await buyers(app, 2);
  const send = async (
    base: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ) => {
    const res = await fetch(`${base}/api/campaigns/${c.id}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...headers,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body } : {}),
    });
    const json = await res.json();
    return { status: res.status, headers: res.headers, json };
  };
  // The same request for two people (a through koa, b through the fast path): same status, shape, headers, codes.
  const same = async (
    label: string,
    method: string,
    path: string,
    o: { body?: string; extra?: (who: 'a' | 'b') => Record<string, string> } = {},
  ) => {
    const viaKoa = await send(koaUrl, method, path, { ...a!.headers, ...o.extra?.('a') }, o.body);
    const viaFast = await send(fastUrl, method, path, { ...b!.headers, ...o.extra?.('b') }, o.body);
    t.is(viaFast.status, viaKoa.status, `${label}: status`);
    for (const h of ['content-type', 'cache-control', 'x-content-type-options', 'x-frame-options'])
      t.is(viaFast.headers.get(h), viaKoa.headers.get(h), `${label}: ${h}`);
    t.is(viaFast.headers.has('retry-after'), viaKoa.headers.has('retry-after'), `${label}: retry-after`);
    t.is(viaFast.json.queue?.state, viaKoa.json.queue?.state, `${label}: state`);
    t.is(viaFast.json.error?.code, viaKoa.json.error?.code, `${label}: code`);
    return { viaKoa, viaFast };
  };
  t.is((await same('place before joining', 'GET', '/queue')).viaFast.status, 404);
  t.is((await same('join', 'POST', '/queue')).viaFast.json.queue.state, 'pre_queue');
  t.is((await same('place', 'GET', '/queue')).viaFast.json.queue.state, 'pre_queue');
  await openSale(app, c.id);
  await tick(); // the shuffle admits both
  const recorded = await app.db('instant_queue').where({ campaign_id: c.id }).orderBy('identity_id');
  const turn = await same('turn', 'GET', '/queue');
  t.is(turn.viaFast.json.queue.state, 'your_turn');
  const tokens = { a: turn.viaKoa.json.queue.admission_token, b: turn.viaFast.json.queue.admission_token };
  const again = await send(fastUrl, 'GET', '/queue', b!.headers);
  t.is(again.json.queue.admission_token, tokens.b, 'a second look answers the same token');
  t.deepEqual(
    await app.db('instant_queue').where({ campaign_id: c.id }).orderBy('identity_id'),
    recorded,
    "looking at one's turn writes nothing: the pass issued the token",
  );
  const token = (who: 'a' | 'b') => ({
    'x-admission-token': tokens[who],
    'idempotency-key': `key-${who}-0000001`,
  });
  t.is(
    (await same('no admission token', 'POST', '/purchases', { body: '{"quantity":10000}' })).viaFast.status,
    422,
  );
  t.is(
    (await same('bad JSON', 'POST', '/purchases', { body: '{"quantity":', extra: token })).viaFast.status,
    400,
  );
  t.is(
    (
      await same('forged token', 'POST', '/purchases', {
        body: '{"quantity":10000}',
        extra: (w) => ({ ...token(w), 'x-admission-token': 'x.y.z' }),
      })
    ).viaFast.status,
    403,
  );
  const bought = await same('purchase', 'POST', '/purchases', { body: '{"quantity":10000}', extra: token });
  t.is(bought.viaFast.status, 201);
  t.deepEqual(
    Object.keys(bought.viaFast.json.purchase).sort(),
    Object.keys(bought.viaKoa.json.purchase).sort(),
  );
  const replay = await same('replay', 'POST', '/purchases', { body: '{"quantity":10000}', extra: token });
  t.is(replay.viaFast.status, 200);
  t.is(replay.viaFast.headers.get('idempotent-replayed'), 'true');
  t.is(replay.viaKoa.headers.get('idempotent-replayed'), 'true');
  t.is((await same('purchased', 'GET', '/queue')).viaFast.json.queue.state, 'purchased');
  t.is(delegated, 0, 'all answered by the fast path');
  const withCookie = await send(fastUrl, 'GET', '/queue', { ...b!.headers, cookie: 'x=1' });
  t.is(withCookie.status, 200);
  t.is(delegated, 1, 'a request with a cookie goes on to koa');
});
