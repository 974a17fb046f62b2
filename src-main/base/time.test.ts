import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatDurationMs,
  msTo90k,
  ninetyKToMs,
  rescaleTo90k,
  secondsTo90k,
  startOfUtcDayMs,
  unwrap32,
} from './time';

describe('time', () => {
  it('converts ms and 90 kHz', () => {
    expect(msTo90k(1000)).toBe(90_000);
    expect(msTo90k(1)).toBe(90);
    expect(ninetyKToMs(90_000)).toBe(1000);
    expect(ninetyKToMs(3003)).toBe(33);
    expect(secondsTo90k(1.5)).toBe(135_000);
    expect(rescaleTo90k(48_000, 48_000)).toBe(90_000);
    expect(rescaleTo90k(1234, 90_000)).toBe(1234);
  });

  it('round-trips integer ms exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), (ms) => ninetyKToMs(msTo90k(ms)) === ms),
    );
  });

  it('unwraps 32-bit RTP timestamps across the wrap, forwards and slightly backwards', () => {
    expect(unwrap32(100, undefined)).toBe(100);
    expect(unwrap32(0xffff_fff0, undefined)).toBe(0xffff_fff0);
    expect(unwrap32(0x10, 0xffff_fff0)).toBe(0x1_0000_0010);
    expect(unwrap32(0xffff_fff0, 0x1_0000_0010)).toBe(0xffff_fff0);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: -(2 ** 30), max: 2 ** 30 }),
        (prev, step) => {
          const next = prev + step;
          if (next < 0) return true;
          return unwrap32(next % 2 ** 32, prev) === next;
        },
      ),
    );
  });

  it('finds the UTC day and formats durations', () => {
    expect(startOfUtcDayMs(Date.UTC(2026, 0, 2, 13, 5))).toBe(Date.UTC(2026, 0, 2));
    expect(formatDurationMs(250)).toBe('250 ms');
    expect(formatDurationMs(1500)).toBe('1.5 s');
    expect(formatDurationMs(61_000)).toBe('1 min 1 s');
    expect(formatDurationMs(3_660_000)).toBe('1 h 1 min');
  });
});
