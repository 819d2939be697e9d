// Stopping the HTTP server without dropping a request: node's server.close() at once destroys every keep-alive
// connection it sees idle, including one whose next request is already in the socket buffer, unread (the
// client got ECONNRESET). Here new connections are refused at once, requests already sent are read and
// answered with `Connection: close`, and only then are idle connections closed.
import type http from 'node:http';
import net from 'node:net';
import type { Listening } from './listen.js';

/** Time for requests already in socket buffers to be read once the signal has been handled. */
const SETTLE_MS = 200;
const IDLE_SWEEP_MS = 100;

/** `listening`: what listen() gave, whose extra descriptors stop accepting with the server's own. */
export function drainableServer(
  server: http.Server,
  listening: Pick<Listening, 'close'>,
): { drain(graceMs: number): Promise<void> } {
  let draining = false;
  const inFlight = new Set<http.ServerResponse>();
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    // runs right after the app's own listener, before any response header can have been written
    if (draining) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });

  return {
    async drain(graceMs) {
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      // net.Server's close: stop accepting, without http's immediate sweep of idle keep-alive connections
      const closed = Promise.all([
        new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve())),
        listening.close(),
      ]);
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      await new Promise((r) => setTimeout(r, Math.min(SETTLE_MS, graceMs)));
      server.closeIdleConnections();
      // a response that had sent its headers before the signal leaves its connection idle when it ends
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      await closed;
      clearInterval(sweep);
      clearTimeout(force);
    },
  };
}
