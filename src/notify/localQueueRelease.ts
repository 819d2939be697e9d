// graphile-worker 0.17.3 (its main branch too, checked) cannot stop a worker whose local queue holds fetched
// jobs: setModeReleased() marks the queue released and then returns the jobs through background(), which
// refuses work on a released queue. Shutdown then logged six errors, left the jobs locked until the dead-worker
// sweep, and never released its pool, whose connections the database stop then killed (FATAL). This lets the
// release's own job return run, as its comment there intends ("this will add to backgroundCount").
import { LocalQueue } from 'graphile-worker/dist/localQueue.js';

interface Internals {
  background(promise: Promise<void>): void;
  setModeReleased(): void;
  backgroundCount: number;
  decreaseBackgroundCount(): void;
  decreaseBackgroundCountWithError(e: unknown): void;
}

const RELEASING = Symbol('releasing');
type Patched = Internals & { [RELEASING]?: boolean };
const proto = LocalQueue.prototype as unknown as Patched;

if (typeof proto.setModeReleased === 'function' && typeof proto.background === 'function') {
  const setModeReleased = proto.setModeReleased;
  const background = proto.background;
  proto.setModeReleased = function (this: Patched) {
    this[RELEASING] = true;
    try {
      setModeReleased.call(this);
    } finally {
      this[RELEASING] = false;
    }
  };
  proto.background = function (this: Patched, promise: Promise<void>) {
    if (!this[RELEASING]) return background.call(this, promise);
    this.backgroundCount++;
    promise.then(this.decreaseBackgroundCount, this.decreaseBackgroundCountWithError);
  };
}
