import { describe, expect, it } from 'vitest';
import {
  DEAD_BAND_MS,
  MAX_RATE_ADJUST,
  MIN_SEEK_LATENCY_MS,
  driftAction,
  nextSeekLatency,
  seekBeyondMs,
  seekLeadTarget,
} from './drift-control';

const T = 1_790_000_000_000;

describe('drift control', () => {
  it('plays at exactly the clock speed when on time', () => {
    expect(driftAction(T + DEAD_BAND_MS / 2, T, 1, 100)).toEqual({ kind: 'rate', playbackRate: 1 });
    expect(driftAction(T - DEAD_BAND_MS / 2, T, 16, 100)).toEqual({
      kind: 'rate',
      playbackRate: 16,
    });
  });

  it('slows a tile that is ahead and speeds one that is behind, in proportion', () => {
    const ahead = driftAction(T + 50, T, 1, 100);
    const behind = driftAction(T - 50, T, 1, 100);
    expect(ahead).toEqual({ kind: 'rate', playbackRate: 0.95 });
    expect(behind).toEqual({ kind: 'rate', playbackRate: 1.05 });
  });

  it('never corrects softly by more than ±10 % of the speed', () => {
    for (const rate of [0.25, 1, 4, 16]) {
      const justBelowSeek = seekBeyondMs(rate) - 1;
      const slow = driftAction(T + justBelowSeek, T, rate, 100);
      const fast = driftAction(T - justBelowSeek, T, rate, 100);
      expect(slow).toEqual({ kind: 'rate', playbackRate: rate * (1 - MAX_RATE_ADJUST) });
      expect(fast).toEqual({ kind: 'rate', playbackRate: rate * (1 + MAX_RATE_ADJUST) });
    }
  });

  it('seeks beyond half a second at 1× and a few seconds at 16×', () => {
    expect(seekBeyondMs(1)).toBe(500);
    expect(seekBeyondMs(16)).toBe(4_000);
    expect(driftAction(T + 600, T, 1, 100).kind).toBe('seek');
    expect(driftAction(T - 3_000, T, 16, 100).kind).toBe('rate');
    expect(driftAction(T - 5_000, T, 16, 100).kind).toBe('seek');
  });

  it('aims a seek at where the clock will be when it lands', () => {
    expect(driftAction(T - 10_000, T, 1, 200)).toEqual({ kind: 'seek', toMs: T + 200 });
    expect(driftAction(T - 10_000, T, 16, 300)).toEqual({ kind: 'seek', toMs: T + 4_800 });
    // Before any seek was measured the lead is the minimum latency.
    expect(seekLeadTarget(T, 4, 0)).toBe(T + 4 * MIN_SEEK_LATENCY_MS);
  });

  it('follows measured seek latencies, weighted to the latest, within bounds', () => {
    expect(nextSeekLatency(undefined, 200)).toBe(200);
    expect(nextSeekLatency(200, 400)).toBeCloseTo(280);
    expect(nextSeekLatency(undefined, 1)).toBe(MIN_SEEK_LATENCY_MS);
    expect(nextSeekLatency(undefined, 60_000)).toBe(3_000);
  });

  it('closes an offset: a simulated tile converges to within a frame without seeking', () => {
    // 10 Hz control loop, a tile 400 ms ahead at 1×: the error shrinks below 1 frame (67 ms at 15 fps).
    let shownMs = T + 400;
    let clockMs = T;
    let seeks = 0;
    for (let i = 0; i < 100; i++) {
      const a = driftAction(shownMs, clockMs, 1, 100);
      if (a.kind === 'seek') seeks++;
      const p = a.kind === 'rate' ? a.playbackRate : 1;
      shownMs += 100 * p;
      clockMs += 100;
    }
    expect(seeks).toBe(0);
    expect(Math.abs(shownMs - clockMs)).toBeLessThanOrEqual(DEAD_BAND_MS);
  });
});
