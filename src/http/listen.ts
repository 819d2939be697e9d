// Listening with room for a crowd's connections: node's default backlog is 511, and at a sale's opening more phones
// than that connect between two turns of the event loop. The kernel then drops the SYNs it has no room for, and
// each such phone tries again only after a second (then 3, then 7): measured in the simulator, the first buyers'
// purchases reached the service a second after they were sent, while its event loop turned every 100 ms. The kernel
// caps the backlog at net.core.somaxconn (4,096 on current Linux).
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
