// Listening with room for a crowd's connections: node's default backlog is 511, and at a sale's opening more phones
// than that connect between two turns of the event loop. The kernel then drops the SYNs it has no room for, and
// each such phone tries again only after a second (then 3, then 7): in the simulator, each resident on connections
// of their own, 22,570-26,559 connections dropped and 508-559 requests failed a run on 511, none on 4,096. The
// kernel caps the backlog at net.core.somaxconn (4,096 on current Linux).
import type { Server } from 'node:net';

export const LISTEN_BACKLOG = 4096;

/** Resolves once listening; rejects with what failed (a port already taken). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
