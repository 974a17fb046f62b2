import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DtsDeriver } from './dts-deriver';

const FRAME = 3600; // 25 fps

function derive(pts: readonly number[], reorderDepth?: number): number[] {
  const d = new DtsDeriver<{ pts90k: number; i: number }>(
    reorderDepth === undefined ? {} : { reorderDepth },
  );
  const out = pts.flatMap((p, i) => d.push({ pts90k: p, i }));
  out.push(...d.flush());
  expect(out.map((u) => u.i)).toEqual(pts.map((_, i) => i)); // every unit, in decode order
  return out.map((u) => u.dts90k);
}

/** Max over frames of how many earlier frames (decode order) are shown after it. */
function trueDepth(pts: readonly number[]): number {
  let depth = 0;
  pts.forEach((p, i) => {
    depth = Math.max(depth, pts.slice(0, i).filter((q) => q > p).length);
  });
  return depth;
}

/** Decode-order PTS of mini-GOPs: an anchor, then its B-frames in the given order. */
const stream = fc
  .record({
    base: fc.integer({ min: 0, max: 2 ** 40 }),
    frame: fc.integer({ min: 1, max: 9000 }),
    groups: fc.array(
      fc.integer({ min: 0, max: 3 }).chain((b) =>
        fc.shuffledSubarray(
          Array.from({ length: b }, (_, k) => k),
          { minLength: b, maxLength: b },
        ),
      ),
      { minLength: 1, maxLength: 40 },
    ),
  })
  .map(({ base, frame, groups }) => {
    // The biggest mini-GOP first: an SPS depth is confirmed by the first frames.
    groups.sort((a, b) => b.length - a.length);
    const pts = [base]; // the leading keyframe
    let next = 1;
    for (const bs of groups) {
      const anchor = next + bs.length;
      pts.push(base + anchor * frame, ...bs.map((k) => base + (next + k) * frame));
      next = anchor + 1;
    }
    return pts;
  });

const strictlyIncreasing = (v: number[]) => v.every((x, i) => i === 0 || x > v[i - 1]!);

describe('DtsDeriver', () => {
  it('derives the decode times of an x264 B-pyramid (I0 P4 B2 b1 b3 …) with the SPS depth', () => {
    const pts = [0, 4, 2, 1, 3, 8, 6, 5, 7].map((f) => 90_000 + f * FRAME);
    expect(derive(pts, 2).map((d) => (d - 90_000) / FRAME)).toEqual([-2, -1, 0, 1, 2, 3, 4, 5, 6]);
  });

  it('leaves streams without reordering alone, even when the SPS declares a depth', () => {
    const pts = [0, 1, 2, 3, 4, 6, 7].map((f) => f * FRAME);
    expect(derive(pts)).toEqual(pts);
    expect(derive(pts, 2)).toEqual(pts);
  });

  it('raises a missing depth from the stream and stays strictly increasing', () => {
    const pts = [0, 3, 1, 2, 6, 4, 5, 9, 7, 8, 12, 10, 11].map((f) => 90_000 + f * FRAME);
    const dts = derive(pts);
    expect(strictlyIncreasing(dts)).toBe(true);
    // After the first mini-GOP the depth is known and every DTS is ≤ its PTS again.
    dts.slice(4).forEach((d, i) => expect(d).toBeLessThanOrEqual(pts[i + 4]!));
  });

  it('property: with the SPS depth (or a larger one), DTS is strictly increasing and ≤ PTS', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 0, max: 3 }), (pts, extra) => {
        const depth = trueDepth(pts);
        for (const hint of [depth, depth + extra]) {
          const dts = derive(pts, hint);
          expect(strictlyIncreasing(dts)).toBe(true);
          dts.forEach((d, i) => expect(d).toBeLessThanOrEqual(pts[i]!));
          if (depth === 0) expect(dts).toEqual(pts);
        }
      }),
    );
  });

  it('property: without a hint DTS is strictly increasing, and equals PTS without reordering', () => {
    fc.assert(
      fc.property(stream, (pts) => {
        const dts = derive(pts);
        expect(strictlyIncreasing(dts)).toBe(true);
        if (trueDepth(pts) === 0) expect(dts).toEqual(pts);
      }),
    );
  });

  it('property: any PTS sequence (duplicates, jumps) gives strictly increasing DTS, all units', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 ** 33 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 20 }),
        (pts, hint) => {
          expect(strictlyIncreasing(derive(pts, hint))).toBe(true);
        },
      ),
    );
  });
});
