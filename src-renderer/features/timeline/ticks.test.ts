import { describe, expect, it } from 'vitest';
import { computeTicks, msAt, pickStep, xOf } from './ticks';

const H = 3_600_000;
const BASE = Date.UTC(2026, 10, 21, 0, 0, 0);

describe('timeline ticks', () => {
  it('maps time to x and back', () => {
    const s = { startMs: BASE, spanMs: 4 * H, widthPx: 800 };
    expect(xOf(s, BASE + 2 * H)).toBe(400);
    expect(msAt(s, 200)).toBe(BASE + H);
  });

  it('picks a step whose labels are far enough apart', () => {
    expect(pickStep({ startMs: 0, spanMs: 4 * H, widthPx: 1200 })).toBe(30 * 60_000);
    expect(pickStep({ startMs: 0, spanMs: 24 * H, widthPx: 1200 })).toBe(2 * H);
    expect(pickStep({ startMs: 0, spanMs: 60_000, widthPx: 1200 })).toBe(5_000);
  });

  it('aligns major ticks to local whole hours', () => {
    const s = { startMs: BASE + 10 * 60_000, spanMs: 4 * H, widthPx: 1200 };
    // UTC+1 (getTimezoneOffset = -60): local hours fall on UTC hours too; UTC+5:30 shifts them by 30 min.
    const utc1 = computeTicks(s, -60).filter((t) => t.major);
    expect(utc1.every((t) => t.ms % (30 * 60_000) === 0)).toBe(true);
    const india = computeTicks({ ...s, widthPx: 400 }, -330).filter((t) => t.major);
    expect(pickStep({ ...s, widthPx: 400 })).toBe(H);
    expect(india.every((t) => (t.ms + 330 * 60_000) % H === 0)).toBe(true);
    expect(india.every((t) => t.ms % H !== 0)).toBe(true);
  });

  it('only returns ticks inside the window, in order, with minor ticks between majors', () => {
    const s = { startMs: BASE + 123_456, spanMs: 2 * H, widthPx: 900 };
    const ticks = computeTicks(s, 0);
    expect(ticks.length).toBeGreaterThan(4);
    expect(ticks.every((t) => t.ms >= s.startMs && t.ms <= s.startMs + s.spanMs)).toBe(true);
    expect(ticks.every((t, i) => i === 0 || t.ms > ticks[i - 1]!.ms)).toBe(true);
    expect(ticks.some((t) => !t.major)).toBe(true);
    expect(computeTicks({ ...s, widthPx: 0 }, 0)).toEqual([]);
  });
});
