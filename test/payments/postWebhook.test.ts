// The development provider's webhook POST: kept-alive connections, and a call that always ends: an answer's
// status, or an error when no answer ends within the deadline or the answer breaks off.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { postWebhook } from '../../src/payments/postWebhook.js';

async function serve(handler: http.RequestListener) {
  let connections = 0;
  const server = http.createServer(handler);
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/payments/dev`;
  return {
    url,
    connections: () => connections,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

test('answers come back as their status, one kept-alive connection for posts one after another', async (t) => {
  const s = await serve((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = req.headers['content-type'] === 'application/json' ? 202 : 400;
      res.end('{}');
    });
  });
  t.teardown(s.close);
  for (let i = 0; i < 5; i++)
    t.is(await postWebhook(s.url, { 'webhook-id': `msg_${i}` }, '{"a":1}', 2000), 202);
  t.is(s.connections(), 1);
});

test('no answer within the deadline, or an answer that breaks off, is an error', async (t) => {
  t.timeout(5000); // a call that never ends fails here rather than hanging the run
  const silent = await serve(() => {});
  t.teardown(silent.close);
  const started = Date.now();
  await t.throwsAsync(postWebhook(silent.url, {}, '{}', 200), { message: /no answer in 200 ms/ });
  t.true(Date.now() - started < 2000);

  const broken = await serve((req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('{"partial":');
    setTimeout(() => req.socket.destroy(), 20);
  });
  t.teardown(broken.close);
  await t.throwsAsync(postWebhook(broken.url, {}, '{}', 2000));
});

test('an address that is not http(s) is refused before anything is sent', async (t) => {
  await t.throwsAsync(postWebhook('ftp://127.0.0.1/x', {}, '{}', 200), { message: /not http/ });
});
