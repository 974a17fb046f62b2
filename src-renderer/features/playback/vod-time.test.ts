// The wall-clock mapping of playback playlists: windows, positions in and between fragments, resync.
import { describe, expect, it } from 'vitest';
import {
  nextFragmentStart,
  positionOf,
  timeOf,
  vodWindow,
  windowHolds,
  type FragmentTime,
} from './vod-time';

const T = 1_789_999_980_000; // a whole minute
// two 4 s fragments, a 10 s gap, then a 2 s one
const frags: FragmentTime[] = [
  { startMs: T, startS: 0, durationS: 4 },
  { startMs: T + 4_000, startS: 4, durationS: 4 },
  { startMs: T + 18_000, startS: 8, durationS: 2 },
];

describe('vod time mapping', () => {
  it('maps wall-clock to media time inside fragments and nothing in gaps', () => {
    expect(positionOf(frags, T)).toBe(0);
    expect(positionOf(frags, T + 5_500)).toBe(5.5);
    expect(positionOf(frags, T + 19_000)).toBe(9);
    expect(positionOf(frags, T + 10_000)).toBeUndefined();
    expect(positionOf(frags, T - 1)).toBeUndefined();
    expect(nextFragmentStart(frags, T + 10_000)).toBe(T + 18_000);
    expect(nextFragmentStart(frags, T + 19_000)).toBeUndefined();
  });

  it('timeOf inverts positionOf', () => {
    for (const ms of [T, T + 1_234, T + 7_999, T + 18_500]) {
      expect(timeOf(frags, positionOf(frags, ms)!)).toBeCloseTo(ms, 6);
    }
    expect(timeOf(frags, 11)).toBeUndefined();
  });

  it('loads ±30 min around the playhead, snapped, never past now', () => {
    const w = vodWindow(T + 45_000, T + 10 * 3_600_000);
    expect(w.from).toBe(T - 30 * 60_000);
    expect(w.to).toBe(T + 31 * 60_000);
    const near = vodWindow(T + 45_000, T + 50_000);
    expect(near.to).toBe(T + 50_000);
    expect(vodWindow(T + 50_000, T + 10 * 3_600_000)).toEqual(w); // nearby seek: same playlist
  });

  it('windowHolds leaves a margin at the end', () => {
    const w = { from: T, to: T + 60_000 };
    expect(windowHolds(w, T + 30_000, T + 3_600_000)).toBe(true);
    expect(windowHolds(w, T - 1, T + 3_600_000)).toBe(false);
    expect(windowHolds(w, T + 59_000, T + 3_600_000)).toBe(false);
  });
});
