import { describe, expect, it } from 'vitest';
import { msAt } from './ticks';
import { pinchView, wheelZoomFactor } from './zoom-gesture';

const H = 3_600_000;
const scale = { startMs: 1_790_000_000_000, spanMs: 4 * H, widthPx: 1000 };

describe('wheel zoom', () => {
  it('a mouse notch zooms 1.25× out (down) or in (up)', () => {
    expect(wheelZoomFactor(100, 0, false)).toBeCloseTo(1.25);
    expect(wheelZoomFactor(-100, 0, false)).toBeCloseTo(0.8);
    expect(wheelZoomFactor(3, 1, false)).toBeCloseTo(Math.pow(1.25, 0.48));
    expect(wheelZoomFactor(10_000, 0, false)).toBeCloseTo(Math.pow(1.25, 3));
  });

  it('a trackpad pinch (ctrl+wheel) is exponential and reversible', () => {
    const out = wheelZoomFactor(7, 0, true);
    const back = wheelZoomFactor(-7, 0, true);
    expect(out).toBeGreaterThan(1);
    expect(out * back).toBeCloseTo(1);
    // Pinching in (negative delta) zooms in.
    expect(wheelZoomFactor(-20, 0, true)).toBeLessThan(1);
  });
});

describe('pinch', () => {
  it('spreading the fingers to twice their distance halves the span around the centre', () => {
    const v = pinchView(scale, [400, 600], [300, 700]);
    expect(v.spanMs).toBeCloseTo(2 * H);
    // The time that was under the centre (500 px) is still under it.
    expect(msAt({ ...v, widthPx: 1000 }, 500)).toBeCloseTo(msAt(scale, 500));
  });

  it('an off-centre pinch keeps the time under the fingers, and moving both fingers pans', () => {
    const v = pinchView(scale, [100, 200], [50, 250]);
    expect(v.spanMs).toBeCloseTo(2 * H);
    expect(msAt({ ...v, widthPx: 1000 }, 150)).toBeCloseTo(msAt(scale, 150));
    const panned = pinchView(scale, [400, 600], [500, 700]);
    expect(panned.spanMs).toBeCloseTo(scale.spanMs);
    expect(msAt({ ...panned, widthPx: 1000 }, 600)).toBeCloseTo(msAt(scale, 500));
  });

  it('pinching in zooms out; fingers on top of each other do not divide by zero', () => {
    expect(pinchView(scale, [300, 700], [400, 600]).spanMs).toBeCloseTo(8 * H);
    expect(Number.isFinite(pinchView(scale, [500, 500], [500, 500]).spanMs)).toBe(true);
  });
});
