// Forked by listen.ts: sends the listening socket it is given back to its parent, as many times as asked, and
// exits. Each handle that crosses the IPC channel arrives as a new descriptor of the same socket, which is the
// only way node 20 has to get one (no dup, no reusePort). It never listens or accepts: the handle it receives is
// a raw one, not a server. (Its listener stays on: with none, the channel stops holding the process open.)
import type { SendHandle } from 'node:child_process';

process.on('message', (copies: unknown, handle: unknown) => {
  let sent = 0;
  const next = () => {
    if (sent++ < Number(copies)) return void process.send?.('descriptor', handle as SendHandle, next);
    (handle as { close(): void }).close();
    process.disconnect?.();
  };
  next();
});
