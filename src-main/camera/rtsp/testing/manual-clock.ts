// Test harness: a clock whose time moves only when a test advances it, running due timers in
// order. For unit tests of the camera session's backoff and watchdog; never used by the product.
import type { Clock } from '../mounts';

interface Timer {
  id: number;
  atMs: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  private timeMs: number;
  private nextId = 1;
  private timers: Timer[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.timeMs = startMs;
  }

  nowMs(): number {
    return this.timeMs;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, atMs: this.timeMs + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Delays of the pending timers from now, soonest first. */
  pendingDelaysMs(): number[] {
    return this.timers.map((t) => t.atMs - this.timeMs).sort((a, b) => a - b);
  }

  /** Moves time forward, running each timer that falls due (and timers those schedule). */
  async advance(ms: number): Promise<void> {
    const endMs = this.timeMs + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => t.atMs <= endMs)
        .sort((a, b) => a.atMs - b.atMs || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.timeMs = Math.max(this.timeMs, due.atMs);
      due.fn();
      await flushMicrotasks();
    }
    this.timeMs = endMs;
    await flushMicrotasks();
  }
}

export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
