// Clocks as an interface so tests inject time (STYLE 2). Owns systemClock and FakeClock; no timers
// are created here except by FakeClock's own bookkeeping (which never touches real time).

export interface Clock {
  /** Wall clock: ms since the Unix epoch (can jump: NTP, user changes). */
  nowMs(): number;
  /** Monotonic ms from an arbitrary origin: for durations, timeouts and rates. */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  monotonicMs: () => performance.now(),
};

interface FakeTimer {
  id: number;
  dueMs: number;
  callback: () => void;
}

/**
 * A clock that moves only when told. Also schedules callbacks (`setTimeout`) against its own
 * monotonic time so code that takes a Clock-like scheduler can be driven step by step.
 */
export class FakeClock implements Clock {
  private wallMs: number;
  private monoMs = 0;
  private nextId = 1;
  private timers: FakeTimer[] = [];

  constructor(startMs = 1_790_000_000_000) {
    this.wallMs = startMs;
  }

  nowMs(): number {
    return this.wallMs;
  }

  monotonicMs(): number {
    return this.monoMs;
  }

  /** Moves both clocks forward, firing due callbacks in order. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('FakeClock.advance: ms must be >= 0');
    const target = this.monoMs + ms;
    for (;;) {
      const next = this.timers
        .filter((t) => t.dueMs <= target)
        .sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)[0];
      if (!next) break;
      this.wallMs += next.dueMs - this.monoMs;
      this.monoMs = next.dueMs;
      this.timers = this.timers.filter((t) => t !== next);
      next.callback();
    }
    this.wallMs += target - this.monoMs;
    this.monoMs = target;
  }

  /** Moves only the wall clock (an NTP step or a user changing the time). */
  jumpWall(ms: number): void {
    this.wallMs += ms;
  }

  setTimeout(callback: () => void, delayMs: number): number {
    const id = this.nextId++;
    this.timers.push({ id, dueMs: this.monoMs + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(id: number): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}
