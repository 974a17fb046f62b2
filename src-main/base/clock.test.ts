import { describe, expect, it } from 'vitest';
import { FakeClock, systemClock } from './clock';

describe('clock', () => {
  it('systemClock follows Date.now and a monotonic counter', () => {
    const before = Date.now();
    const now = systemClock.nowMs();
    expect(now).toBeGreaterThanOrEqual(before);
    const a = systemClock.monotonicMs();
    expect(systemClock.monotonicMs()).toBeGreaterThanOrEqual(a);
  });

  it('FakeClock moves only when told and fires timers in order', () => {
    const clock = new FakeClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.monotonicMs()}`), 20);
    clock.setTimeout(() => fired.push(`a@${clock.monotonicMs()}`), 10);
    const id = clock.setTimeout(() => fired.push('never'), 15);
    clock.clearTimeout(id);
    expect(clock.nowMs()).toBe(1000);
    clock.advance(15);
    expect(fired).toEqual(['a@10']);
    clock.advance(10);
    expect(fired).toEqual(['a@10', 'b@20']);
    expect(clock.nowMs()).toBe(1025);
    expect(clock.monotonicMs()).toBe(25);
    expect(clock.pendingTimers).toBe(0);
  });

  it('timers scheduled from a timer fire within the same advance', () => {
    const clock = new FakeClock(0);
    const at: number[] = [];
    const tick = () => {
      at.push(clock.monotonicMs());
      if (at.length < 3) clock.setTimeout(tick, 5);
    };
    clock.setTimeout(tick, 5);
    clock.advance(100);
    expect(at).toEqual([5, 10, 15]);
  });

  it('a wall-clock jump leaves monotonic time alone', () => {
    const clock = new FakeClock(0);
    clock.jumpWall(-5000);
    expect(clock.nowMs()).toBe(-5000);
    expect(clock.monotonicMs()).toBe(0);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('advanceAsync lets the promise a timer starts schedule the next timer before time moves on', async () => {
    const clock = new FakeClock(0);
    const at: number[] = [];
    const step = async () => {
      at.push(clock.monotonicMs());
      await Promise.resolve();
      if (at.length < 3) clock.setTimeout(() => void step(), 5);
    };
    clock.setTimeout(() => void step(), 5);
    expect(clock.pendingDelaysMs()).toEqual([5]);
    await clock.advanceAsync(100);
    expect(at).toEqual([5, 10, 15]);
    expect(clock.pendingDelaysMs()).toEqual([]);
  });
});
