// The service listens with room for a crowd's connections: while its event loop is busy (an opening's pass, a
// burst of answers), phones that connect wait in the kernel's accept queue instead of having their SYN dropped
// and trying again a second later. Here 1,500 connections arrive while the listening process is blocked for
// 800 ms: with node's default backlog (511) about a thousand of them connect only after the kernel's 1 s retry.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import test from 'ava';
import { listen } from '../../src/http/listen.js';

const CONNECTIONS = 1500;

// Opens CONNECTIONS sockets at once once told the port, and prints the slowest connect in ms.
const CROWD = `
const net = require('node:net');
process.stdin.once('data', (d) => {
  const port = Number(d.toString());
  process.stdout.write('go\\n'); // the listening side blocks now; the crowd connects a moment later
  setTimeout(() => crowd(port), 100);
});
function crowd(port) {
  const started = Date.now();
  let done = 0, slowest = 0;
  for (let i = 0; i < ${CONNECTIONS}; i++) {
    const s = net.connect(port, '127.0.0.1', () => {
      slowest = Math.max(slowest, Date.now() - started);
      if (++done === ${CONNECTIONS}) { console.log(JSON.stringify({ slowest })); process.exit(0); }
    });
    s.on('error', () => {});
  }
}
`;

/** The listening process blocks while the crowd connects; the slowest connect, in ms. */
async function slowestConnect(server: Server): Promise<number> {
  const port = (server.address() as { port: number }).port;
  const crowd = spawn(process.execPath, ['-e', CROWD], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const go = new Promise<void>((resolve) =>
    crowd.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('go\n')) resolve();
    }),
  );
  const exited = new Promise((r) => crowd.once('exit', r));
  crowd.stdin.write(String(port));
  await go;
  const until = Date.now() + 800; // a busy event loop: nothing accepts
  while (Date.now() < until) {
    /* the kernel completes handshakes into the accept queue meanwhile */
  }
  await exited;
  return (JSON.parse(out.slice('go\n'.length)) as { slowest: number }).slowest;
}

const somaxconn = (() => {
  try {
    return Number(fs.readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  } catch {
    return undefined;
  }
})();

test('connections that arrive while the service is busy wait to be accepted, not a second to try again', async (t) => {
  t.timeout(20_000);
  const server = createServer();
  t.teardown(() => server.close());
  await listen(server, 0, '127.0.0.1');
  const slowest = await slowestConnect(server);
  t.true(
    slowest < 1000,
    `the slowest of ${CONNECTIONS} connections took ${slowest} ms (net.core.somaxconn ${somaxconn ?? 'unknown'} caps the backlog)`,
  );

  // The same crowd on node's default backlog: the test can tell.
  const plain = createServer();
  t.teardown(() => plain.close());
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  const dropped = await slowestConnect(plain);
  t.true(dropped >= 1000, `with the default backlog the slowest took ${dropped} ms`);
});

test('a port already taken is an error, not a hang', async (t) => {
  const first = createServer();
  t.teardown(() => first.close());
  await listen(first, 0, '127.0.0.1');
  const port = (first.address() as { port: number }).port;
  const second = createServer();
  const err = await t.throwsAsync(listen(second, port, '127.0.0.1'));
  t.is((err as NodeJS.ErrnoException).code, 'EADDRINUSE');
});
