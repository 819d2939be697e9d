import type { Clock } from '../../src/clock.js';

/** A clock that stands still until a test moves it. */
export class SteppedClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2026-12-01T00:00:00+09:00') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }
}
