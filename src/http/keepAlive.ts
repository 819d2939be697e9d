// How long the service keeps an idle connection open. Node's default is 5 s, but a resident is told to look again
// up to MAX_POLL_MS (plus the spread) later, and every 5-6 s while the stock left is held: at 5 s each such look
// came on a new connection (a connect, an accept and, behind a proxy, a TLS handshake), thousands a second in a
// rush. The client closes a little before the server's timeout (undici: a second), so there is room for that too.
import type { Server } from 'node:http';
import { MAX_POLL_MS, POLL_SPREAD_MS } from '../domain/instant/waitingRoom.js';

export const KEEP_ALIVE_MS = MAX_POLL_MS + POLL_SPREAD_MS + 4000;

/** The server, its idle connections kept KEEP_ALIVE_MS (said to clients as `Keep-Alive: timeout=…`). */
export function keepConnections<S extends Server>(server: S): S {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  return server;
}
