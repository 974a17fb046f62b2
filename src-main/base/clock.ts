// Clocks and timers as one interface so tests inject time (STYLE 2). Owns systemClock (the real ones)
// and FakeClock (moves only when told, runs its timers in order; never touches real time).

export interface Clock {
  /** Wall clock: ms since the Unix epoch (can jump: NTP, user changes). */
  nowMs(): number;
  /** Monotonic ms from an arbitrary origin: for durations, timeouts and rates. */
  monotonicMs(): number;
  /** Runs `callback` after `delayMs` of monotonic time; the handle is for clearTimeout. */
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  monotonicMs: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Lets promise callbacks queued by timers run (a few microtask turns; no real time passes). */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

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
    const target = this.targetOf(ms);
    while (this.fireNext(target));
    this.moveTo(target);
  }

  /** Like advance, letting the promises each callback starts settle before the next one is due. */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.targetOf(ms);
    while (this.fireNext(target)) await flushMicrotasks();
    this.moveTo(target);
    await flushMicrotasks();
  }

  private targetOf(ms: number): number {
    if (ms < 0) throw new RangeError('FakeClock.advance: ms must be >= 0');
    return this.monoMs + ms;
  }

  /** Fires the earliest timer due by `target` (moving time to it); false when none is due. */
  private fireNext(target: number): boolean {
    const next = this.timers
      .filter((t) => t.dueMs <= target)
      .sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)[0];
    if (!next) return false;
    this.moveTo(next.dueMs);
    this.timers = this.timers.filter((t) => t !== next);
    next.callback();
    return true;
  }

  private moveTo(monoMs: number): void {
    this.wallMs += monoMs - this.monoMs;
    this.monoMs = monoMs;
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

  clearTimeout(id: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Delays of the pending timers from now, soonest first. */
  pendingDelaysMs(): number[] {
    return this.timers.map((t) => t.dueMs - this.monoMs).sort((a, b) => a - b);
  }
}
