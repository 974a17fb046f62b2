import { describe, expect, it, vi } from 'vitest';
import type { Timeline } from '../../../src-preload/contract';
import {
  findRecordingJump,
  gapSkipTarget,
  resolveRecordingJump,
  type KnownRanges,
} from './recording-jump';

const M = 60_000;
const T0 = 1_790_000_000_000;
const NOW = T0 + 120 * M;
// Door: 10–30, 50–80 min; Yard: 20–40, 90–100 min (minutes after T0). Loaded window: T0 … NOW.
const known: KnownRanges = {
  fromMs: T0,
  toMs: NOW,
  ranges: [
    [
      { startMs: T0 + 10 * M, endMs: T0 + 30 * M },
      { startMs: T0 + 50 * M, endMs: T0 + 80 * M },
    ],
    [
      { startMs: T0 + 20 * M, endMs: T0 + 40 * M },
      { startMs: T0 + 90 * M, endMs: T0 + 100 * M },
    ],
  ],
};
const at = (min: number) => T0 + min * M;

describe('findRecordingJump', () => {
  it('next: the first range start after the playhead on any camera, skipping the current range', () => {
    expect(findRecordingJump('next', known, at(12), NOW)).toBe(at(20));
    expect(findRecordingJump('next', known, at(20), NOW)).toBe(at(50));
    expect(findRecordingJump('next', known, at(45), NOW)).toBe(at(50));
    expect(findRecordingJump('next', known, at(95), NOW)).toBeNull();
  });

  it('previous: the start of the current range, or the one before when already at a start', () => {
    expect(findRecordingJump('prev', known, at(60), NOW)).toBe(at(50));
    expect(findRecordingJump('prev', known, at(50), NOW)).toBe(at(20));
    expect(findRecordingJump('prev', known, at(50) + 500, NOW)).toBe(at(20));
    expect(findRecordingJump('prev', known, at(45), NOW)).toBe(at(20));
  });

  it('says "unknown" when the answer may lie beyond the loaded window', () => {
    // Before the first known start: an earlier range may exist before the window.
    expect(findRecordingJump('prev', known, at(10), NOW)).toBeUndefined();
    // A range starting at the left edge may have begun earlier: not a start to jump to.
    const clipped = { ...known, ranges: [[{ startMs: T0, endMs: at(5) }]] };
    expect(findRecordingJump('prev', clipped, at(3), NOW)).toBeUndefined();
    // The window ends before now: later ranges are unknown.
    expect(findRecordingJump('next', { ...known, toMs: at(100) }, at(95), NOW)).toBeUndefined();
    expect(findRecordingJump('next', { ...known, ranges: [] }, at(5), NOW)).toBeNull();
  });
});

describe('resolveRecordingJump', () => {
  const timeline = (from: number, to: number, ranges: [number, number][]): Timeline => ({
    from,
    to,
    streams: [
      {
        cameraId: 'door',
        stream: 'main',
        ranges: ranges.map(([s, e]) => ({ startMs: s, endMs: e })),
        gaps: [],
        recordedMs: 0,
      },
    ],
  });

  it('answers from the loaded ranges without asking the engine', async () => {
    const getTimeline = vi.fn();
    await expect(
      resolveRecordingJump({ getTimeline }, 'next', ['door'], known, at(12), NOW),
    ).resolves.toBe(at(20));
    expect(getTimeline).not.toHaveBeenCalled();
  });

  it('queries a wider window when the loaded one cannot tell', async () => {
    const getTimeline = vi.fn(async (req: { from: number | string; to: number | string }) =>
      timeline(Number(req.from), Number(req.to), [[at(-500), at(-400)]]),
    );
    await expect(
      resolveRecordingJump({ getTimeline }, 'prev', ['door'], known, at(5), NOW),
    ).resolves.toBe(at(-500));
    const req = getTimeline.mock.calls[0]![0];
    expect(req.to).toBe(at(5));
    expect(req.from).toBeLessThan(at(-30 * 24 * 60));

    const none = vi.fn(async (req: { from: number | string; to: number | string }) =>
      timeline(Number(req.from), Number(req.to), []),
    );
    await expect(
      resolveRecordingJump({ getTimeline: none }, 'next', ['door'], null, at(5), NOW),
    ).resolves.toBeNull();
    expect(none.mock.calls[0]![0]).toMatchObject({ cameraIds: ['door'], from: at(5), to: NOW });
  });
});

describe('gapSkipTarget', () => {
  const known: KnownRanges = {
    fromMs: 0,
    toMs: 10_000,
    ranges: [[{ startMs: 1_000, endMs: 2_000 }], [{ startMs: 5_000, endMs: 6_000 }]],
  };
  it('stays inside a recording', () => {
    expect(gapSkipTarget(known, 1_500, 10_000)).toBe(null);
  });
  it('jumps from a gap to the next recording start of any row', () => {
    expect(gapSkipTarget(known, 2_500, 10_000)).toBe(5_000);
    expect(gapSkipTarget(known, 500, 10_000)).toBe(1_000);
  });
  it('does nothing after the last recording', () => {
    expect(gapSkipTarget(known, 7_000, 10_000)).toBe(null);
  });
});
