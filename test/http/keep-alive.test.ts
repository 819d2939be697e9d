// An idle connection stays open longer than the longest a resident is told to wait before looking again, so a
// phone polling its place keeps its connection: a look 6 s after the last (Node's default closed it at 5 s) comes
// on the same socket, and the answers say how long the service keeps it.
import net from 'node:net';
import test from 'ava';
import { POLL_SPREAD_MS, pollAfterMs } from '../../src/domain/instant/waitingRoom.js';
import { KEEP_ALIVE_MS } from '../../src/http/keepAlive.js';
import { startTestApp } from '../helpers/app.js';

test('every wait the service asks for fits in the keep-alive, with the second a client closes early', (t) => {
  const longest = Math.max(
    pollAfterMs({ state: 'pre_queue', msToOpening: 86_400_000 }, 0.999),
    pollAfterMs({ state: 'waiting', ahead: 1_000_000, perSecond: 1 }, 0.999),
    pollAfterMs({ state: 'waiting', ahead: 10, perSecond: 1, heldBack: true }, 0.999),
    pollAfterMs({ state: 'placing', heldBack: true }, 0.999),
  );
  t.true(longest >= 30_000 && longest < 30_000 + POLL_SPREAD_MS, `longest ${longest}`);
  t.true(longest + 1000 < KEEP_ALIVE_MS, `${longest} ms + 1 s against ${KEEP_ALIVE_MS} ms`);
});

/** Sends a GET on the socket and resolves with the answer's head once its body has arrived. */
function get(socket: net.Socket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text);
      if (end >= 0 && length && text.length >= end + 4 + Number(length[1])) {
        socket.off('data', onData);
        socket.off('close', onClose);
        resolve(text.slice(0, end));
      }
    };
    const onClose = () => reject(new Error(`the service closed the connection (had: ${text.slice(0, 60)})`));
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n`);
  });
}

test('a connection idle for 6 s still carries the next request', async (t) => {
  const app = await startTestApp();
  t.teardown(() => app.close());
  const { hostname, port } = new URL(app.url);
  const socket = net.connect(Number(port), hostname);
  t.teardown(() => socket.destroy());
  await new Promise((r) => socket.once('connect', r));
  const first = await get(socket, '/healthz');
  t.regex(first, /^HTTP\/1\.1 200/);
  t.regex(first, new RegExp(`keep-alive: timeout=${KEEP_ALIVE_MS / 1000}`, 'i'));
  await new Promise((r) => setTimeout(r, 6000));
  const second = await get(socket, '/healthz');
  t.regex(second, /^HTTP\/1\.1 200/);
});
