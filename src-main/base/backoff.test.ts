import { describe, expect, it } from 'vitest';
import { backoffDelayMs, createBackoff } from './backoff';

describe('backoff', () => {
  it('grows exponentially up to the cap (no jitter)', () => {
    const b = createBackoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map(() => b.nextDelayMs())).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(b.attempts).toBe(6);
    b.reset();
    expect(b.nextDelayMs()).toBe(100);
  });

  it('jitter stays within [base*(1-j), base] using the injected random', () => {
    expect(backoffDelayMs(3, { initialMs: 100, jitter: 0.5, random: () => 0 })).toBe(400);
    expect(backoffDelayMs(3, { initialMs: 100, jitter: 0.5, random: () => 0.999999 })).toBe(800);
    expect(backoffDelayMs(3, { initialMs: 100, jitter: 1, random: () => 0.25 })).toBe(200);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelayMs(i, { initialMs: 500, maxMs: 30_000 });
      expect(d).toBeGreaterThanOrEqual(Math.min(30_000, 500 * 2 ** i) / 2);
      expect(d).toBeLessThanOrEqual(30_000);
    }
  });

  it('rejects nonsense options', () => {
    expect(() => createBackoff({ initialMs: 0 })).toThrow(RangeError);
    expect(() => createBackoff({ initialMs: 10, maxMs: 5 })).toThrow(RangeError);
    expect(() => createBackoff({ jitter: 2 })).toThrow(RangeError);
  });
});
