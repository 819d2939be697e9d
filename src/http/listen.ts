// Listening with room for a crowd's connections, and accepting them as fast as they come.
// The backlog: node's default is 511, and at a sale's opening more phones than that connect between two turns of
// the event loop. The kernel then drops the SYNs it has no room for, and each such phone tries again only after a
// second (then 3, then 7): in the simulator, each resident on connections of their own, 22,570-26,559 connections
// dropped and 508-559 requests failed a run on 511, none on 4,096. The kernel caps it at net.core.somaxconn.
// The descriptors: since libuv 1.45 (node 20) a listening handle accepts ONE connection per turn of the event loop
// (libuv#3696), and in a rush a turn takes 30-200 ms, so one descriptor let in 5-30 phones a second while
// thousands arrived: on 2026-12-04 the accept queue sat full for 30-60 s a run, 17,000-51,000 connections were
// dropped and buyers waited 15 s for a connection. Each extra descriptor of the same socket accepts one more a
// turn. Node 20 cannot dup a descriptor or listen with SO_REUSEPORT; a handle sent over IPC arrives as a new
// descriptor, so a relay process (acceptRelay.ts) sends the socket back as many times as wanted, then exits.
import { fork } from 'node:child_process';
import net, { type Server } from 'node:net';
import { moduleBeside } from '../paths.js';

const LISTEN_BACKLOG = 4096;
/** Connections accepted per turn of the event loop at most: 256 a turn of 100 ms is 2,560 a second. */
export const ACCEPT_DESCRIPTORS = 256;

export interface Listening {
  /** Resolves with how many descriptors accept once the relay's have arrived (1 if it could not give any). */
  widened: Promise<number>;
  /** Stops accepting on the extra descriptors; resolves once the connections they accepted have ended. */
  close(): Promise<void>;
}

/** Resolves once listening on the first descriptor; rejects with what failed (a port already taken). */
export async function listen(
  server: Server,
  port: number,
  host: string,
  descriptors = ACCEPT_DESCRIPTORS,
): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return widen(server, descriptors - 1);
}

/** `copies` more descriptors of the server's socket, each handing what it accepts to the server. */
function widen(server: Server, copies: number): Listening {
  const extra: Server[] = [];
  let closing = false;
  const handle = (server as unknown as { _handle?: unknown })._handle;
  if (copies <= 0 || !handle) return { widened: Promise.resolve(1), close: async () => {} };
  const relay = fork(moduleBeside(import.meta.url, './acceptRelay'), [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: loaderFlags(process.execArgv),
  });
  const widened = new Promise<number>((resolve) => {
    relay.on('message', (_m, received) => {
      const copy = net.createServer();
      // the server's own 'connection' listener reads HTTP from it, tracked with its other connections
      copy.on('connection', (socket) => server.emit('connection', socket));
      copy.listen(received, LISTEN_BACKLOG);
      if (closing) copy.close();
      else extra.push(copy);
    });
    const done = () => resolve(1 + extra.length);
    relay.once('disconnect', done); // after its last message
    relay.once('error', done); // could not fork: the one descriptor still accepts
  });
  relay.send(copies, handle as net.Server);
  return {
    widened,
    async close() {
      closing = true;
      relay.kill();
      await Promise.all(extra.map((copy) => new Promise((r) => copy.close(r))));
    },
  };
}

/**
 * Of node's flags, those that load modules (`--import tsx` in development): a relay given `--cpu-prof` would
 * write a profile of its own, and one given `--inspect` would fail to take the inspector's port.
 */
export function loaderFlags(execArgv: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    if (/^--(import|require|loader|experimental-loader)=/.test(flag)) kept.push(flag);
    else if (/^(--import|--require|-r|--loader|--experimental-loader)$/.test(flag) && i + 1 < execArgv.length)
      kept.push(flag, execArgv[++i]!);
  }
  return kept;
}
