// A file written from a worker thread, so that a synchronous computation producing its bytes does not
// also wait for each write(2): the kernel's copy into the page cache (about 0.3 s of CPU for a 300 MB
// bundle on this machine) runs on the other core. Bytes go in 4 MiB buffers handed to the worker, which
// hands each back once written; the producer takes them back without waiting (receiveMessageOnPort), so
// a few buffers go round instead of 75 fresh ones (fresh memory costs a page fault per 4 KiB here).
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

const BUFFER = 1 << 22;
/** At most this many buffers in flight; then the producer writes the next one itself. */
const IN_FLIGHT = 6;

// Plain CommonJS, run without the TypeScript loader: the worker starts in a few milliseconds.
const WORKER = `
const { workerData } = require('node:worker_threads');
const { closeSync, openSync, writeSync } = require('node:fs');
const { path, port } = workerData;
let fd = -1;
port.on('message', (m) => {
  try {
    if (fd < 0) fd = openSync(path, 'w');
    if (m === 'close') {
      closeSync(fd);
      port.postMessage('closed');
      port.close();
      return;
    }
    for (let off = 0; off < m.length; ) off += writeSync(fd, m, off, m.length - off);
    port.postMessage(m, [m.buffer]);
  } catch (e) {
    port.postMessage({ error: e.message });
    port.close();
  }
});
`;

export interface FileWriter {
  /** Copies chunk into the file's next bytes (the chunk may be reused as soon as this returns). */
  write(chunk: Uint8Array): void;
  /** Everything written and the file closed; rejects with the first write error. */
  close(): Promise<void>;
}

/**
 * The file at `path`, created when the first buffer is handed over (at the first 4 MiB, or at close):
 * a run that fails before writing anything leaves no file.
 */
export function fileWriter(path: string): FileWriter {
  const { port1: mine, port2: theirs } = new MessageChannel();
  let worker: Worker | undefined;
  let error: string | undefined;
  let closed = false;
  const spare: Uint8Array<ArrayBuffer>[] = [];
  let inFlight = 0;
  let buf = new Uint8Array(BUFFER);
  let pos = 0;

  /** A returned buffer, or the worker's error or close; false when nothing is waiting. */
  const take = (m: unknown) => {
    if (m instanceof Uint8Array) {
      inFlight--;
      spare.push(new Uint8Array(m.buffer as ArrayBuffer));
    } else if (m === 'closed') closed = true;
    else error ??= (m as { error: string }).error;
  };
  const drain = () => {
    for (let r = receiveMessageOnPort(mine); r; r = receiveMessageOnPort(mine)) take(r.message);
  };
  const start = () => {
    worker ??= new Worker(WORKER, {
      eval: true,
      execArgv: [],
      workerData: { path, port: theirs },
      transferList: [theirs],
    });
  };
  const handOver = () => {
    start();
    drain();
    while (inFlight >= IN_FLIGHT && error === undefined) {
      // The worker is behind: wait for a buffer rather than let unwritten ones pile up.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      drain();
    }
    if (error !== undefined) throw new Error(`cannot write ${path}: ${error}`);
    mine.postMessage(buf.subarray(0, pos), [buf.buffer]);
    inFlight++;
    buf = spare.pop() ?? new Uint8Array(BUFFER);
    pos = 0;
  };

  return {
    write(chunk) {
      for (let off = 0; off < chunk.length; ) {
        if (pos === BUFFER) handOver();
        const n = Math.min(BUFFER - pos, chunk.length - off);
        buf.set(chunk.subarray(off, off + n), pos);
        pos += n;
        off += n;
      }
    },
    close() {
      try {
        if (pos > 0 || worker === undefined) handOver();
      } catch (e) {
        return Promise.reject(e);
      }
      mine.postMessage('close');
      return new Promise<void>((resolve, reject) => {
        const settle = () => {
          if (error !== undefined) reject(new Error(`cannot write ${path}: ${error}`));
          else if (closed) resolve();
          else return false;
          mine.close();
          return true;
        };
        mine.on('message', (m) => {
          take(m);
          settle();
        });
        worker!.once('error', (e) => reject(e));
        drain();
        settle();
      });
    },
  };
}
