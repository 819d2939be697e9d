import test from 'ava';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

test('healthz answers while the process runs', async (t) => {
  const res = await app.request('GET', '/healthz');
  t.is(res.status, 200);
  t.deepEqual(res.json, { status: 'ok' });
});

test('readyz reports the database reachable and migrations current', async (t) => {
  const res = await app.request('GET', '/readyz');
  t.is(res.status, 200);
  t.is(res.json.status, 'ready');
});

test('metrics are in Prometheus text format with request counters', async (t) => {
  await app.request('GET', '/healthz');
  const res = await app.request('GET', '/metrics');
  t.is(res.status, 200);
  t.regex(res.text, /http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
  t.regex(res.text, /# TYPE campaigns gauge/);
});

test('unknown routes get a 404 with a stable code and the request id', async (t) => {
  const res = await app.request('GET', '/api/nothing-here');
  t.is(res.status, 404);
  t.is(res.json.error.code, 'not_found');
  t.is(res.json.error.request_id, res.headers.get('x-request-id'));
});

test('a request id sent by the caller is echoed back', async (t) => {
  const res = await app.request('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
  t.is(res.headers.get('x-request-id'), 'abc-123');
});
