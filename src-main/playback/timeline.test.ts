import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, coverage } from './timeline';

const T = Date.UTC(2026, 0, 1);

describe('coverage', () => {
  it('lists only buckets holding recordings: work grows with what is recorded, not the window', () => {
    // One recorded hour and a half in a 60-year window of day buckets, and in an end-of-time window.
    const ranges = [{ startMs: T + 23 * HOUR_MS, endMs: T + 24.5 * HOUR_MS }];
    const days = coverage(ranges, 0, 60 * 365 * DAY_MS, DAY_MS);
    expect(days).toEqual([
      { startMs: T, durationMs: DAY_MS, recordedMs: HOUR_MS },
      { startMs: T + DAY_MS, durationMs: DAY_MS, recordedMs: HOUR_MS / 2 },
    ]);
    const hours = coverage(ranges, 0, 8.64e15, HOUR_MS);
    expect(hours.map((b) => b.recordedMs)).toEqual([HOUR_MS, HOUR_MS / 2]);
  });

  it('adds ranges sharing a bucket, clips to the window and aligns days to local midnight', () => {
    const ranges = [
      { startMs: T + 10 * 60_000, endMs: T + 20 * 60_000 },
      { startMs: T + 30 * 60_000, endMs: T + 90 * 60_000 },
    ];
    expect(coverage(ranges, T + 15 * 60_000, T + 2 * HOUR_MS, HOUR_MS)).toEqual([
      { startMs: T, durationMs: HOUR_MS, recordedMs: 35 * 60_000 },
      { startMs: T + HOUR_MS, durationMs: HOUR_MS, recordedMs: 30 * 60_000 },
    ]);
    // UTC+1: the local day starts at 23:00 UTC the day before.
    const local = coverage(ranges, T - DAY_MS, T + DAY_MS, DAY_MS, HOUR_MS);
    expect(local).toEqual([{ startMs: T - HOUR_MS, durationMs: DAY_MS, recordedMs: 70 * 60_000 }]);
  });
});
